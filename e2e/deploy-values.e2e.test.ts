// values.schema.json, enforced by the real helm: a typo or a wrong type fails `helm template` (and so
// `helm install`) with a message that names the value.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { deployHelm } from "./deploy-support.js";
import type { Helm } from "./harness/helm.js";
import { CHARTS, helmError, helmLint, helmTemplate } from "./harness/helm-chart.js";

const SCHEMA_ERROR = "values don't meet the specifications of the schema(s) in the following chart(s)";

describe("values.schema.json rejects bad values with a clear message", () => {
  let helm: Helm;
  let dir = "";

  beforeAll(async () => {
    helm = await deployHelm();
    dir = await mkdtemp(join(tmpdir(), "meridian-values-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** helm template's error for these values, given as a values file (as a user would). */
  async function rejection(values: unknown, chart: string = CHARTS.meridian): Promise<string> {
    const file = join(dir, `values-${Math.random().toString(36).slice(2)}.yaml`);
    await writeFile(file, stringify(values));
    const message = await helmError(helmTemplate(helm, chart, { valuesFiles: [file] }));
    expect(message).toContain(SCHEMA_ERROR);
    return message;
  }

  test.each<[string, unknown, readonly string[]]>([
    ["replicas as a string", { replicaCount: "2" }, ["at '/replicaCount': got string, want integer"]],
    ["no replicas", { replicaCount: 0 }, ["at '/replicaCount': minimum: got 0, want 1"]],
    ["an unknown key", { replicas: 2 }, ["at '': additional properties 'replicas' not allowed"]],
    ["an unknown nested key (a typo)", { config: { resyncIntervall: "5m" } }, ["at '/config': additional properties 'resyncIntervall' not allowed"]],
    [
      "an empty Redis URL with the bundled Redis off",
      { redis: { url: "", existingSecret: { name: "" }, bundled: { enabled: false } } },
      ["at '/redis/url': minLength: got 0, want 1", "at '/redis/existingSecret/name': minLength: got 0, want 1"],
    ],
    ["a Redis URL that is not redis:// or rediss://", { redis: { url: "http://redis:6379" } }, ["at '/redis/url'", "does not match pattern"]],
    ["a Redis CA with the bundled (plain-text) Redis", { redis: { bundled: { enabled: true }, tlsCaSecret: { name: "ca" } } }, ["at '/redis/tlsCaSecret/name': value must be ''"]],
    ["an unknown log level", { config: { logLevel: "verbose" } }, ["at '/config/logLevel'", "'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'"]],
    ["a duration the controller cannot read", { config: { resyncInterval: "5 minutes" } }, ["at '/config/resyncInterval'", "does not match pattern"]],
    ["a privileged port", { metrics: { port: 80 } }, ["at '/metrics/port': minimum: got 80, want 1"]],
    ["root", { runAsUser: 0 }, ["at '/runAsUser': minimum: got 0, want 1"]],
  ])("%s", async (_name, values, expected) => {
    const message = await rejection(values);
    for (const part of expected) expect(message).toContain(part);
  });

  test("helm lint reports the same schema error", async () => {
    const message = await helmError(helmLint(helm, CHARTS.meridian, { set: { replicas: "2" } }));
    expect(message).toContain("additional properties 'replicas' not allowed");
  });

  test("the bundled Redis alone is a valid Redis source, and so is a URL alone", async () => {
    const bundled = await helmTemplate(helm, CHARTS.meridian, { set: { "redis.existingSecret.name": "", "redis.bundled.enabled": "true" } });
    expect(bundled).toContain("kind: Deployment");
    const url = await helmTemplate(helm, CHARTS.meridian, { set: { "redis.existingSecret.name": "", "redis.url": "redis://redis:6379" } });
    expect(url).toContain("name: meridian-redis-url");
  });

  test("the member chart rejects an unknown key too", async () => {
    const message = await rejection({ createNamespaces: true }, CHARTS.member);
    expect(message).toContain("additional properties 'createNamespaces' not allowed");
  });
});
