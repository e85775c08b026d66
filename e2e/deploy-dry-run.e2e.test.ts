// Every object the charts render, sent byte for byte to a real kube-apiserver of the harness with
// server-side dry-run (dryRun=All, fieldValidation=Strict): accepted with default values, with every
// option on, with an external Redis, and for the member chart. Nothing is stored.
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { deployHelm } from "./deploy-support.js";
import { dryRunApply, installServiceMonitorCrd, type DryRunResult } from "./deploy-dry-run.js";
import { CHARTS, helmTemplate, yamlDocuments, type ChartOptions } from "./harness/helm-chart.js";
import { firstControlPlane, statusOf } from "./support/clusters.js";

const CASES: readonly [string, string, ChartOptions, readonly string[]][] = [
  ["home chart, default values, with its CRDs", CHARTS.meridian, { includeCrds: true }, ["CustomResourceDefinition", "Deployment", "PodDisruptionBudget", "Service"]],
  [
    "home chart, every option on",
    CHARTS.meridian,
    { valuesFiles: [join(CHARTS.meridian, "ci", "all-options-values.yaml")] },
    ["ServiceMonitor", "Deployment", "Service", "PodDisruptionBudget", "ClusterRole", "Role"],
  ],
  ["home chart, external Redis URL and CA", CHARTS.meridian, { valuesFiles: [join(CHARTS.meridian, "ci", "external-redis-values.yaml")] }, ["Secret", "Deployment"]],
  ["member chart", CHARTS.member, { release: "meridian-member" }, ["Namespace", "ServiceAccount", "ClusterRole", "Role"]],
];

function refused(results: readonly DryRunResult[]): string[] {
  return results.filter((result) => result.status >= 300 || result.warnings.length > 0).map((result) => `${result.kind}/${result.name}: ${result.status} ${result.message} ${result.warnings.join("; ")}`);
}

describe("server-side dry run of every rendered object against a real API server", () => {
  const plane = firstControlPlane();

  beforeAll(async () => {
    await deployHelm();
    // The ServiceMonitor's kind must be served for the API server to judge it; see deploy-dry-run.ts.
    await installServiceMonitorCrd(plane);
  });

  test.each(CASES)("%s: every object accepted, no warnings", async (_name, chart, options, mustInclude) => {
    const documents = yamlDocuments(await helmTemplate(await deployHelm(), chart, options));
    const results: DryRunResult[] = [];
    for (const document of documents) results.push(await dryRunApply(plane, document));
    expect(refused(results)).toEqual([]);
    expect(results.map((result) => result.status)).not.toContain(0);
    const kinds = new Set(results.map((result) => result.kind));
    for (const kind of mustInclude) expect(kinds).toContain(kind);
  });

  test("the dry run is strict: a misspelt field and an invalid value are refused (so acceptance above means something)", async () => {
    const documents = yamlDocuments(await helmTemplate(await deployHelm(), CHARTS.meridian, { showOnly: ["templates/deployment.yaml"] }));
    const [deployment = ""] = documents;
    const misspelt = await dryRunApply(plane, deployment.replace("readOnlyRootFilesystem:", "readOnlyRootFilesysten:"));
    // Server-side apply checks the object against the type's schema (a 500, "failed to create typed patch object").
    expect(misspelt.status).toBeGreaterThanOrEqual(400);
    expect(misspelt.message).toContain("securityContext.readOnlyRootFilesysten: field not declared in schema");
    const invalid = await dryRunApply(plane, deployment.replace("replicas: 2", "replicas: -1"));
    expect(invalid.status).toBe(422);
    expect(invalid.message).toContain("spec.replicas");
  });

  test("nothing was stored", async () => {
    const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "mesh-control-controller", namespace: "meridian-system" } };
    expect(await statusOf(plane.objects.read(deployment))).toBe(404);
    expect(await statusOf(plane.objects.read({ ...deployment, metadata: { ...deployment.metadata, name: "mesh-control-redis" } }))).toBe(404);
  });
});
