// Each TrafficPolicy mode, end to end: the controller writes, into every client cluster, the
// DestinationRule the mode means from that cluster's locality, Istio's CRDs accept it, and so does
// Istio's own validation (istiod's webhook code), for every object in the sync namespace. The
// expected objects are e2e/golden/policy-modes.yaml (identity names without the run's suffix);
// regenerate with UPDATE_GOLDEN=1 and review the diff.
import { readFileSync, writeFileSync } from "node:fs";
import { CustomObjectsApi } from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { API_VERSION } from "../crds/index.js";
import type { DestinationRule } from "../crds/istio.js";
import { IDENTITY_LABEL } from "../controller/core/index.js";
import { apply, setUpFleet, SYNC, type Member, type TestFleet } from "./support/controller-fleet.js";
import { printControllerLog, startControllerProcess, type ControllerProcess } from "./support/controller-process.js";
import { deleteHomeObjects } from "./support/federation-members.js";
import { applyWorkload } from "./support/federation-workloads.js";
import { canonical } from "../federation/graph/change-keys.js";
import { explainedIstioWarning, validateWithIstio } from "./support/istio-validate.js";

const GOLDEN = new URL("golden/policy-modes.yaml", import.meta.url);
const MODES = { topology: { mode: "Topology", regions: ["eu-west", "us-east"] }, failover: { mode: "Failover", regions: ["eu-west"] }, weighted: { mode: "Weighted", weights: [{ region: "us-east", weight: 70 }, { region: "eu-west", weight: 30 }] } };

describe("TrafficPolicy modes in every client cluster", () => {
  let fleet: TestFleet;
  let controller: ControllerProcess | undefined;
  const name = (base: string): string => `${base}-${fleet.id}`;

  beforeAll(async () => {
    fleet = await setUpFleet("mode");
    await deleteHomeObjects(fleet.home);
    const [a, c, b] = fleet.members as [Member, Member, Member];
    for (const base of Object.keys(MODES)) {
      fleet.identities.add(name(base));
      await applyWorkload(a.plane, { namespace: fleet.namespace, name: base, identity: name(base), ready: 1 });
      await applyWorkload(b.plane, { namespace: fleet.namespace, name: base, identity: name(base), ready: 1 });
    }
    await applyWorkload(c.plane, { namespace: fleet.namespace, name: "client", identity: name("client"), ready: 1 });
    await apply(fleet.home.objects, fleet.dependency("client", name("client"), Object.keys(MODES).map(name)));
    for (const [base, spec] of Object.entries(MODES)) {
      await apply(fleet.home.objects, { apiVersion: API_VERSION, kind: "TrafficPolicy", metadata: { name: base, namespace: fleet.namespace }, spec: { identity: name(base), ...spec } } as KubernetesObject);
    }
    controller = startControllerProcess({ homeKubeconfig: fleet.home.info.kubeconfig, redisUrl: fleet.redisUrl });
  });

  afterAll(async () => {
    await controller?.stop();
    await deleteHomeObjects(fleet.home);
    await fleet.cleanUp();
  });

  beforeEach(({ onTestFailed }) => onTestFailed(() => printControllerLog(controller)));

  test("the written DestinationRules equal the golden objects", async () => {
    await fleet.converged("the three policies' DestinationRules");
    const actual: Record<string, Record<string, unknown>> = {};
    for (const member of fleet.members) {
      const api = member.plane.kubeConfig.makeApiClient(CustomObjectsApi);
      const list = (await api.listNamespacedCustomObject({ group: "networking.istio.io", version: "v1", namespace: SYNC, plural: "destinationrules" })) as { items: DestinationRule[] };
      const ours = list.items.filter((rule) => Object.keys(MODES).some((base) => rule.metadata.labels[IDENTITY_LABEL] === name(base)));
      actual[member.cluster] = Object.fromEntries(ours.map((rule) => [rule.metadata.name.replace(`-${fleet.id}`, ""), canonical(JSON.parse(JSON.stringify(rule.spec).replaceAll(`-${fleet.id}`, "")))]));
    }
    if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(GOLDEN, stringify(actual, { lineWidth: 0 }));
    expect(actual).toEqual(parse(readFileSync(GOLDEN, "utf8")));
  });

  test("every object in the sync namespace passes Istio's own validation", async () => {
    await fleet.converged("the three policies' DestinationRules");
    const found: { cluster: string; object: KubernetesObject }[] = [];
    for (const member of fleet.members) {
      const api = member.plane.kubeConfig.makeApiClient(CustomObjectsApi);
      for (const plural of ["serviceentries", "destinationrules"]) {
        const list = (await api.listNamespacedCustomObject({ group: "networking.istio.io", version: "v1", namespace: SYNC, plural })) as { items: KubernetesObject[] };
        found.push(...list.items.map((object) => ({ cluster: member.cluster, object })));
      }
    }
    expect(found.filter(({ object }) => object.kind === "ServiceEntry").length).toBeGreaterThanOrEqual(3);
    const verdicts = await validateWithIstio(found.map(({ object }) => object));
    const where = (i: number): string => `${found[i]?.cluster ?? "?"} ${verdicts[i]?.kind ?? "?"} ${verdicts[i]?.name ?? "?"}`;
    const warnings = verdicts.flatMap((v, i) => v.warnings.map((w) => `${where(i)}: ${w}`));
    if (warnings.length > 0) console.warn(`Istio's validation warned ${warnings.length} times:\n${warnings.join("\n")}`);
    expect(verdicts.flatMap((v, i) => v.errors.map((e) => `${where(i)}: ${e}`))).toEqual([]);
    expect(warnings.filter((w) => explainedIstioWarning(w) === undefined)).toEqual([]);
  });
});
