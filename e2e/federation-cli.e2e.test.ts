// Issue acceptance, end to end: three clusters registered with the CLI, the registry engages them
// with the stored least-privilege credentials, and `meridian cluster list` shows them connected and
// synced. Writes outside meridian-sync with the stored credentials are refused by the API server.
import { ApiException, KubernetesObjectApi, type KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { clusterName } from "../federation/graph-model.js";
import { kubeConfigFromSecret } from "../federation/kubeconfig.js";
import type { V1Secret } from "@kubernetes/client-node";
import { waitUntil } from "./harness/wait-until.js";
import { controlPlanes, type ConnectedControlPlane } from "./support/clusters.js";
import { unregisterAll } from "./support/federation-members.js";
import { printFederationLog, startFederation, type RunningFederation } from "./support/federation-runtime.js";
import { meridian } from "./support/meridian-cli.js";

const planes = controlPlanes();
const [home] = planes as [ConnectedControlPlane];
const HOME = ["--home-kubeconfig", home.info.kubeconfig];
const names = planes.map((plane) => `cli-${plane.info.name}`);
const regions = ["us-east", "us-east", "eu-west"];

interface ListRow {
  name: string;
  region: string;
  connected: string;
  synced: string;
  workloads: number | null;
}

async function listRows(): Promise<ListRow[]> {
  const run = await meridian("cluster", "list", ...HOME, "-o", "json");
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as ListRow[]).filter((row) => names.includes(row.name));
}

describe("register with the CLI, then the registry connects and syncs", () => {
  let federation: RunningFederation | undefined;

  beforeAll(async () => {
    await unregisterAll(home);
    for (const [i, plane] of planes.entries()) {
      const run = await meridian("cluster", "register", names[i] ?? "", "--kubeconfig", plane.info.kubeconfig, "--region", regions[i] ?? "", ...HOME);
      expect(run.stderr).not.toMatch(/^error:/m);
      expect(run.code).toBe(0);
    }
    federation = await startFederation(home.kubeConfig);
  });

  afterAll(async () => {
    federation?.stop();
    await unregisterAll(home);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(() => printFederationLog(federation)));

  test("cluster list shows every registered cluster connected and synced", async () => {
    await waitUntil(async () => (await listRows()).every((row) => row.connected === "True" && row.synced === "True") && (await listRows()).length === 3, {
      what: "three CLI-registered clusters Connected=True and Synced=True",
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    const rows = await listRows();
    expect(rows.map((row) => [row.name, row.region, row.connected, row.synced])).toEqual(names.map((name, i) => [name, regions[i], "True", "True"]).sort());
    expect(rows.every((row) => typeof row.workloads === "number")).toBe(true);
    const table = await meridian("cluster", "list", ...HOME);
    for (const name of names) expect(table.stdout).toMatch(new RegExp(`^${name}\\s+\\S+\\s+\\S+\\s+\\S+\\s+True\\s+True\\s+\\d+`, "m"));
  });

  test("the registry runs on the stored least-privilege token: writes outside meridian-sync are refused", async () => {
    for (const [i, plane] of planes.entries()) {
      const name = clusterName(names[i] ?? "");
      const secretName = `meridian-member-${name}`;
      const secret = (await home.core.readNamespacedSecret({ name: secretName, namespace: "meridian-system" })) as V1Secret;
      const stored = kubeConfigFromSecret(secret, { namespace: "meridian-system", name: secretName, key: "kubeconfig" }, name);
      expect(stored.getCurrentUser()?.token).not.toBe(plane.info.adminToken);
      const objects = KubernetesObjectApi.makeApiClient(stored);
      const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cli-probe-${i}`, namespace: "default" } } as KubernetesObject;
      const refused = await objects.create(configMap).then(
        () => 0,
        (err: unknown) => (err instanceof ApiException ? err.code : -1),
      );
      expect(refused).toBe(403);
    }
  });
});
