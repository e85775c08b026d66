// fleetSettings: the read-only commands take the controller's identity and planner settings from
// the controller's own environment variables, and only those.
import { describe, expect, it } from "vitest";

import { UsageError } from "./exit-codes.js";
import { fleetSettings } from "./fleet-snapshot.js";

describe("fleetSettings", () => {
  it("reads the controller's identity and planner settings from its environment variables", () => {
    const settings = fleetSettings({ MERIDIAN_IDENTITY_LABEL: "team.example.com/id", MERIDIAN_ENV_LABELS: "stage", MERIDIAN_HOST_SUFFIX: "mesh.example.com", MERIDIAN_SYNC_NAMESPACE: "mesh-sync", MERIDIAN_NAMESPACE: "mesh-system" });
    expect(settings.identity).toMatchObject({ identityLabel: "team.example.com/id", envLabels: ["stage"], envAnnotation: "admiral.io/env", defaultEnv: "default" });
    expect(settings.planner).toMatchObject({ hostSuffix: "mesh.example.com", syncNamespace: "mesh-sync" });
    expect(settings.namespace).toBe("mesh-system");
  });

  it("uses the controller's defaults when nothing is set", () => {
    expect(fleetSettings({})).toMatchObject({ namespace: "meridian-system", identity: { identityLabel: "identity" }, planner: { hostSuffix: "global", syncNamespace: "meridian-sync" } });
  });

  it("ignores the settings that do not change the fleet, and names a bad one that does", () => {
    expect(() => fleetSettings({ MERIDIAN_WRITE_RATE: "fast", KUBECONFIG: "" })).not.toThrow();
    expect(() => fleetSettings({ MERIDIAN_IDENTITY_LABEL: "bad key!" })).toThrow(UsageError);
    expect(() => fleetSettings({ MERIDIAN_IDENTITY_LABEL: "bad key!" })).toThrow(/--identity-label \/ MERIDIAN_IDENTITY_LABEL: "bad key!"/);
  });
});
