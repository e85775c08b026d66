// `meridian plan`, `meridian diff` and `meridian explain` on real control planes: three members in
// two regions, workloads and a ServiceDependency, and the generated objects written into the
// members as the controller would write them, then broken by hand (an edited endpoint, a deleted
// DestinationRule, an unowned object under a generated name, a stale labelled one). Each command's
// answer is checked against that state, and none of them makes a write request to any cluster.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { CustomObjectsApi } from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { plan } from "../controller/core/index.js";
import type { GeneratedObject } from "../crds/istio.js";
import { apiServerWrites, writesBetween } from "./support/apiserver-metrics.js";
import { statusOf } from "./support/clusters.js";
import { apply, setUpFleet, SYNC, type Member, type TestFleet } from "./support/controller-fleet.js";
import { deleteHomeObjects } from "./support/federation-members.js";
import { waitForGraph } from "./support/federation-runtime.js";
import { applyWorkload, ensureNamespace } from "./support/federation-workloads.js";
import { meridian } from "./support/meridian-cli.js";

const ISTIO = { group: "networking.istio.io", version: "v1", namespace: SYNC };
const DRIFTED_ADDRESS = "192.0.2.99";

interface DiffJson {
  differs: boolean;
  clusters: { cluster: string; missing: { kind: string; name: string }[]; drifted: { kind: string; name: string; fields: { path: string; before?: unknown; after?: unknown }[] }[]; extra: { kind: string; name: string }[]; conflicts: { kind: string; name: string }[]; inSync: number; error?: string }[];
}

describe("meridian plan, diff, explain", () => {
  let fleet: TestFleet;
  let a: Member, c: Member, b: Member;
  let payments = "", ledger = "", checkout = "", stale = "";
  const home = (): string[] => ["--home-kubeconfig", fleet.home.info.kubeconfig];
  const host = (identity: string): string => `default.${identity}.global`;

  beforeAll(async () => {
    fleet = await setUpFleet("dy2");
    await deleteHomeObjects(fleet.home);
    [a, c, b] = fleet.members as [Member, Member, Member];
    [payments, ledger, checkout, stale] = ["payments", "ledger", "checkout", "stale"].map((name) => `${name}-${fleet.id}`) as [string, string, string, string];
    for (const identity of [payments, ledger, checkout, stale]) fleet.identities.add(identity);
    const workload = { namespace: fleet.namespace, ready: 1 };
    await applyWorkload(a.plane, { ...workload, name: "payments", identity: payments });
    await applyWorkload(b.plane, { ...workload, name: "payments", identity: payments, ready: 2 });
    await applyWorkload(b.plane, { ...workload, name: "ledger", identity: ledger });
    await applyWorkload(c.plane, { ...workload, name: "checkout", identity: checkout });
    await apply(fleet.home.objects, fleet.dependency("checkout", checkout, [payments]));
    await waitForGraph(fleet.federation, "the workloads and the dependency in the graph", (s) => s.workloads.filter((w) => fleet.identities.has(w.identity)).length === 4 && s.dependencies.length === 1, 60_000);
    await writeAsTheController();
    await breakByHand();
    // The fleet's own in-test registry probes and writes statuses: stopped, so that only the commands count.
    fleet.federation.stop();
  }, 180_000);

  afterAll(async () => {
    // The unowned object carries no label of Meridian's, so the fleet's clean-up would leave it behind.
    await statusOf(a.plane.kubeConfig.makeApiClient(CustomObjectsApi).deleteNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name: `${host(payments)}-se` }));
    await fleet.cleanUp();
  });

  /** Every desired object of the test's identities, written into its member. */
  async function writeAsTheController(): Promise<void> {
    const desired = plan({ ...fleet.federation.graph.snapshot(), options: fleet.options });
    for (const member of fleet.members) {
      await ensureNamespace(member.plane, SYNC);
      const clusterPlan = desired.clusters.find((p) => p.cluster === member.cluster);
      const objects: GeneratedObject[] = [...(clusterPlan?.serviceEntries ?? []), ...(clusterPlan?.destinationRules ?? [])];
      for (const object of objects.filter((o) => fleet.identities.has(o.metadata.labels["meridian.dev/identity"] ?? ""))) {
        if (member === a && object.kind === "ServiceEntry" && object.metadata.name === `${host(payments)}-se`) continue; // taken by an unowned object below
        await apply(member.plane.objects, object as unknown as KubernetesObject);
      }
    }
  }

  /** c: payments' ServiceEntry edited, its DestinationRule deleted; a: an unowned ServiceEntry under payments' name and a stale labelled one. */
  async function breakByHand(): Promise<void> {
    const custom = c.plane.kubeConfig.makeApiClient(CustomObjectsApi);
    const entry = (await custom.getNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name: `${host(payments)}-se` })) as { metadata: { labels: Record<string, string> }; spec: { endpoints: { address: string }[] } };
    const endpoints = entry.spec.endpoints.map((e) => (e.address === b.gateway ? { ...e, address: DRIFTED_ADDRESS } : e));
    await apply(c.plane.objects, { apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: { name: `${host(payments)}-se`, namespace: SYNC, labels: entry.metadata.labels }, spec: { ...entry.spec, endpoints } } as KubernetesObject);
    await statusOf(custom.deleteNamespacedCustomObject({ ...ISTIO, plural: "destinationrules", name: `${host(payments)}-dr` }));
    const spec = { hosts: [host(payments)], ports: [{ number: 80, name: "http", protocol: "HTTP" }], location: "MESH_INTERNAL", resolution: "DNS", endpoints: [{ address: "198.51.100.1" }] };
    await apply(a.plane.objects, { apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: { name: `${host(payments)}-se`, namespace: SYNC, labels: { team: "payments" } }, spec } as KubernetesObject);
    const labels = { "app.kubernetes.io/managed-by": "meridian", "meridian.dev/identity": stale, "meridian.dev/env": "default" };
    await apply(a.plane.objects, { apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: { name: `${host(stale)}-se`, namespace: SYNC, labels }, spec: { ...spec, hosts: [host(stale)] } } as KubernetesObject);
  }

  test("diff finds the drifted field, the missing, the extra and the conflicting object, and nothing else", async () => {
    const diffOf = async (...args: string[]): Promise<{ code: number; json: DiffJson; stderr: string }> => {
      const run = await meridian("diff", ...home(), "-o", "json", ...args);
      return { code: run.code, json: JSON.parse(run.stdout || "{}") as DiffJson, stderr: run.stderr };
    };
    const paymentsDiff = await diffOf("--identity", payments, "--exit-code");
    expect(paymentsDiff.stderr).toBe("");
    expect(paymentsDiff.code).toBe(1);
    const byCluster = Object.fromEntries(paymentsDiff.json.clusters.map((d) => [d.cluster, d]));
    expect(byCluster[c.cluster]?.drifted).toEqual([{ kind: "ServiceEntry", name: `${host(payments)}-se`, fields: [{ path: expect.stringMatching(/^spec\.endpoints\[\d\]\.address$/) as unknown as string, before: DRIFTED_ADDRESS, after: b.gateway }] }]);
    expect(byCluster[c.cluster]?.missing).toEqual([{ kind: "DestinationRule", name: `${host(payments)}-dr` }]);
    expect(byCluster[a.cluster]?.conflicts).toEqual([{ kind: "ServiceEntry", name: `${host(payments)}-se` }]);
    expect(byCluster[a.cluster]?.inSync).toBe(1);
    expect(byCluster[b.cluster]).toMatchObject({ missing: [], drifted: [], extra: [], conflicts: [], inSync: 2 });

    const all = await diffOf("--cluster", a.cluster);
    expect(all.code).toBe(0);
    expect(all.json.clusters.map((d) => d.cluster)).toEqual([a.cluster]);
    expect(all.json.clusters[0]?.extra).toContainEqual({ kind: "ServiceEntry", name: `${host(stale)}-se` });

    const clean = await meridian("diff", ...home(), "--identity", ledger, "--exit-code");
    expect(clean).toMatchObject({ code: 0, stderr: "" });
    expect(clean.stdout).toMatch(/^No differences: 2 objects in sync in 3 member clusters\.$/m);
    const table = await meridian("diff", ...home(), "--identity", payments);
    expect(table.stdout).toMatch(new RegExp(`^${c.cluster}\\s+ServiceEntry\\s+${host(payments)}-se\\s+drifted\\s+spec\\.endpoints\\[\\d\\]\\.address: ${DRIFTED_ADDRESS} → ${b.gateway}$`, "m"));
  }, 120_000);

  test("explain names the dependency, the endpoints with their ready counts, the failover order and the live state", async () => {
    const run = await meridian("explain", payments, "--from", c.cluster, "--namespace", fleet.namespace, ...home(), "-o", "json");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      hosts: { host: string; placed: boolean; because: string[]; endpoints: { cluster: string; address: string; ready: number; locality: string }[]; failover: { mode: string; order: string[] }; visibility: { visible: boolean } }[];
      live: { objects: { kind: string; state: string }[] }[];
    };
    const explained = out.hosts[0];
    expect(explained?.placed).toBe(true);
    expect(explained?.because).toContain(`Because ServiceDependency ${fleet.namespace}/checkout names ${payments}, and its source ${checkout} runs in ${c.cluster} (namespace ${fleet.namespace}).`);
    expect(explained?.endpoints.map((e) => [e.cluster, e.address, e.ready, e.locality]).sort()).toEqual([
      [a.cluster, a.gateway, 1, `${a.region}/zone-a`],
      [b.cluster, b.gateway, 2, `${b.region}/zone-a`],
    ].sort());
    expect(explained?.failover).toEqual({ mode: "Topology", order: [`region ${c.region}`, `region ${b.region} (failover)`] });
    expect(explained?.visibility.visible).toBe(true);
    expect(out.live[0]?.objects.map((o) => [o.kind, o.state])).toEqual([["DestinationRule", "missing"], ["ServiceEntry", "drifted"]]);

    const elsewhere = await meridian("explain", ledger, "--from", c.cluster, ...home());
    expect(elsewhere.stdout).toContain(`${host(ledger)} is not placed in ${c.cluster}: ${ledger} does not run there and no ServiceDependency whose source runs there names it.`);
  }, 120_000);

  test("plan shows what a dependency change creates where, and a new problem (exit 6)", async () => {
    const dir = join(tmpdir(), `meridian-day2-${fleet.id}`);
    const file = (name: string, destinations: string[]): string => {
      const path = `${dir}-${name}.yaml`;
      writeFileSync(path, stringify(fleet.dependency("checkout", checkout, destinations)));
      return path;
    };
    const more = file("more", [payments, ledger]);
    const run = await meridian("plan", "-f", more, ...home(), "-o", "json");
    expect(run.stderr).toBe("");
    const changes = JSON.parse(run.stdout) as { clusters: { cluster: string; created: { kind: string; name: string }[]; changed: unknown[]; deleted: unknown[] }[]; problemsAppeared: unknown[] };
    expect(changes.clusters).toEqual([{ cluster: c.cluster, created: [{ kind: "DestinationRule", name: `${host(ledger)}-dr` }, { kind: "ServiceEntry", name: `${host(ledger)}-se` }], changed: [], deleted: [] }]);
    expect(changes.problemsAppeared).toEqual([]);
    expect(run.code).toBe(0);
    const detailed = await meridian("plan", "-f", more, ...home(), "--detailed-exitcode");
    expect({ code: detailed.code, stderr: detailed.stderr, problems: detailed.stdout.split("\n").filter((l) => l.includes("Error ") || l.includes("Warning ")) }).toEqual({ code: 2, stderr: "", problems: [] });

    const removed = await meridian("plan", "-f", more, "--delete", ...home());
    expect(removed.stdout).toContain(`Cluster ${c.cluster}:\n  - DestinationRule ${host(payments)}-dr\n  - ServiceEntry ${host(payments)}-se`);
    const unknown = await meridian("plan", "-f", file("unknown", [payments, `nosuch-${fleet.id}`]), ...home());
    expect(unknown.code).toBe(6);
    expect(unknown.stdout).toContain(`Error UnknownDestination: ServiceDependency ${fleet.namespace}/checkout: field spec.destinations names identity nosuch-${fleet.id}, which runs in no registered cluster`);
    const invalid = await meridian("plan", "-f", file("invalid", []), ...home());
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^error: .*-invalid\.yaml, document 1 \(ServiceDependency checkout\): field spec\.destinations: /);
  }, 120_000);

  test("no write request to any cluster while plan, diff and explain run", async () => {
    const planes = [fleet.home, ...fleet.members.map((m) => m.plane)];
    const path = join(tmpdir(), `meridian-day2-${fleet.id}-readonly.yaml`);
    writeFileSync(path, stringify(fleet.dependency("checkout", checkout, [payments, ledger])));
    const before = await Promise.all(planes.map((plane) => apiServerWrites(plane)));
    const runs = [
      await meridian("diff", ...home()),
      await meridian("explain", payments, "--from", c.cluster, ...home()),
      await meridian("plan", "-f", path, ...home()),
    ];
    const after = await Promise.all(planes.map((plane) => apiServerWrites(plane)));
    expect(runs.map((r) => r.stderr)).toEqual(["", "", ""]);
    const writes = Object.fromEntries(planes.map((plane, i) => [plane.info.name, writesBetween(before[i] ?? new Map(), after[i] ?? new Map())]));
    expect(writes).toEqual(Object.fromEntries(planes.map((plane) => [plane.info.name, {}])));
  }, 120_000);
});
