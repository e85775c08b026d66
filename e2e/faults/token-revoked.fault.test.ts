// A member's token revoked by deleting Meridian's ServiceAccount there: the MeshCluster says
// CredentialsValid=False with a reason and a message that say what to do, nothing is pruned (no route
// lost in either member), and `meridian cluster register` again (a new ServiceAccount and token)
// brings every member back to the plan.
import { describe, expect, test } from "vitest";

import { MERIDIAN_NAMESPACE, SERVICE_ACCOUNT } from "../../federation/registration/names.js";
import { conditionMessage, waitForConditions } from "../support/federation-members.js";
import { runFaultCase } from "./support/fault-case.js";
import { useWorld } from "./support/fault-world.js";
import { conditionIs } from "./support/signals.js";

describe("a member's token revoked (its ServiceAccount deleted)", () => {
  let message = "";
  const world = useWorld("token");

  test("CredentialsValid=False with a clear reason, nothing pruned, recovered by registering again", async () => {
    const result = await runFaultCase(world(), {
      case: "token-revoked",
      fault: "member's ServiceAccount deleted 30 s, then registered again",
      detectedBy: "CredentialsValid=False",
      detected: (w) => conditionIs(w, w.b, "CredentialsValid", "False"),
      inject: async (w) => void (await w.b.plane.core.deleteNamespacedServiceAccount({ namespace: MERIDIAN_NAMESPACE, name: SERVICE_ACCOUNT })),
      holdMs: 30_000,
      during: async (w) => {
        await waitForConditions(w.fleet.home, w.b.cluster, { CredentialsValid: "False Unauthorized" }, 15_000);
        message = await conditionMessage(w.fleet.home, w.b.cluster, "CredentialsValid");
        return `CredentialsValid=False Unauthorized: ${message}`;
      },
      heal: (w) => w.fleet.register(w.b),
    });
    expect(result.detectedMs).toBeDefined();
    expect(message).toMatch(/meridian cluster register/);
    expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
  });
});
