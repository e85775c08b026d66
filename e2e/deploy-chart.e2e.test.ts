// deploy/: the charts lint and render with the real helm, and every copy is in sync with its source —
// the chart's CRDs with crds/, the member chart with deploy/member-rbac.yaml, deploy/manifests/ with
// the chart, deploy/README.md's values tables with the schemas, the settings with the controller's.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { beforeAll, describe, expect, test } from "vitest";
import { SETTINGS, LOG_LEVELS, type SettingKey } from "../controller/config/index.js";
import { DURATION_PATTERN } from "../crds/common.js";
import { deployHelm } from "./deploy-support.js";
import type { Helm } from "./harness/helm.js";
import { CHARTS, helmLint, helmTemplate, yamlDocuments } from "./harness/helm-chart.js";
import { readDeployManifests, renderDeployManifests, RENDER_COMMAND } from "./harness/helm-manifests.js";
import { DEPLOY_README, withValuesTables, type SchemaNode } from "./harness/helm-values-table.js";
import { repoRoot } from "./harness/repo-paths.js";

const ALL_OPTIONS = join(CHARTS.meridian, "ci", "all-options-values.yaml");
const EXTERNAL_REDIS = join(CHARTS.meridian, "ci", "external-redis-values.yaml");

interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

interface Container {
  name: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  securityContext?: Record<string, unknown>;
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  ports?: { name: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string }[];
  resources?: Record<string, unknown>;
}

interface PodSpec {
  serviceAccountName?: string;
  securityContext?: Record<string, unknown>;
  containers: Container[];
  volumes?: { name: string; emptyDir?: unknown }[];
}

function objectsOf(rendered: string): RenderedObject[] {
  return yamlDocuments(rendered).map((document) => parse(document) as RenderedObject);
}

function find(objects: readonly RenderedObject[], kind: string, name?: string): RenderedObject {
  const found = objects.find((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
  if (found === undefined) throw new Error(`No ${kind} ${name ?? ""} among ${objects.map((object) => `${object.kind}/${object.metadata.name}`).join(", ")}`);
  return found;
}

function podSpec(deployment: RenderedObject): PodSpec {
  return (deployment["spec"] as { template: { spec: PodSpec } }).template.spec;
}

function envOf(container: Container | undefined): Map<string, { value?: string; valueFrom?: unknown }> {
  return new Map((container?.env ?? []).map((variable) => [variable.name, variable]));
}

/** A config.* entry of the schema agrees with the controller's setting of the same name. */
function expectAgreement(key: string, node: SchemaNode & { pattern?: string }, defaultInValues: string | undefined): void {
  const setting = SETTINGS[key as SettingKey] as { env: string; default?: string };
  expect(node.description, key).toMatch(new RegExp(`^${setting.env}[:.]`));
  if (defaultInValues !== undefined) expect(defaultInValues, key).toBe(setting.default);
  else expect(node.description, key).toContain(`(default ${setting.default ?? ""})`);
  if (/_(INTERVAL|BACKOFF|DURATION)$/.test(setting.env)) expect(node.pattern, key).toBe(DURATION_PATTERN.source);
}

async function readSchema(chart: string): Promise<SchemaNode> {
  return JSON.parse(await readFile(join(chart, "values.schema.json"), "utf8")) as SchemaNode;
}

describe("the charts with the real helm", () => {
  let helm: Helm;
  let defaults: RenderedObject[];

  beforeAll(async () => {
    helm = await deployHelm();
    defaults = objectsOf(await helmTemplate(helm, CHARTS.meridian));
  });

  test("helm is the release pinned in e2e/go/helm/go.mod", () => {
    expect(helm.version).toMatch(/^v4\.\d+\.\d+$/);
  });

  test.each([
    ["default values", []],
    ["every option on (ci/all-options-values.yaml)", [ALL_OPTIONS]],
    ["an external rediss:// URL and CA (ci/external-redis-values.yaml)", [EXTERNAL_REDIS]],
  ])("helm lint --strict passes the home chart with %s", async (_name, valuesFiles) => {
    const output = await helmLint(helm, CHARTS.meridian, { valuesFiles });
    expect(output).toContain("1 chart(s) linted, 0 chart(s) failed");
  });

  test("helm lint --strict passes the member chart", async () => {
    expect(await helmLint(helm, CHARTS.member)).toContain("1 chart(s) linted, 0 chart(s) failed");
  });

  test("default values render the controller, its RBAC, the metrics Service and a PodDisruptionBudget, and nothing else", () => {
    const kinds = defaults.map((object) => `${object.kind}/${object.metadata.name}`).sort();
    expect(kinds).toEqual([
      "ClusterRole/meridian-controller",
      "ClusterRoleBinding/meridian-controller",
      "Deployment/meridian-controller",
      "PodDisruptionBudget/meridian-controller",
      "Role/meridian-controller",
      "RoleBinding/meridian-controller",
      "Service/meridian-controller-metrics",
      "ServiceAccount/meridian-controller",
    ]);
    for (const object of defaults.filter((candidate) => !candidate.kind.startsWith("Cluster"))) expect(object.metadata.namespace).toBe("meridian-system");
  });

  test("the Deployment: 2 replicas, rolling update, non-root, read-only root, no escalation, no capabilities, probes, metrics port", () => {
    const deployment = find(defaults, "Deployment");
    const spec = deployment["spec"] as { replicas: number; strategy: unknown };
    expect(spec.replicas).toBe(2);
    expect(spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const pod = podSpec(deployment);
    expect(pod.serviceAccountName).toBe("meridian-controller");
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } });
    const [container] = pod.containers;
    expect(container?.args).toEqual(["controller"]);
    expect(container?.securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(container?.volumeMounts).toContainEqual({ name: "tmp", mountPath: "/tmp" });
    expect(pod.volumes).toContainEqual({ name: "tmp", emptyDir: { sizeLimit: "64Mi" } });
    expect(container?.livenessProbe?.httpGet).toEqual({ path: "/healthz", port: "http-metrics" });
    expect(container?.readinessProbe?.httpGet).toEqual({ path: "/readyz", port: "http-metrics" });
    expect(container?.ports).toEqual([{ name: "http-metrics", containerPort: 8080, protocol: "TCP" }]);
    expect(container?.resources).toMatchObject({ requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } });
    expect(find(defaults, "PodDisruptionBudget")["spec"]).toMatchObject({ maxUnavailable: 1 });
  });

  test("configuration reaches the controller only through its environment variables; REDIS_URL from a Secret by default", () => {
    const env = envOf(podSpec(find(defaults, "Deployment")).containers[0]);
    expect(env.get("REDIS_URL")).toEqual({ name: "REDIS_URL", valueFrom: { secretKeyRef: { name: "meridian-redis", key: "url" } } });
    expect(env.get("MERIDIAN_NAMESPACE")).toEqual({ name: "MERIDIAN_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } });
    expect(env.get("MERIDIAN_LISTEN")?.value).toBe(":8080");
    expect(env.get("MERIDIAN_LEASE_NAME")?.value).toBe("meridian-controller");
    const known = new Set(Object.values(SETTINGS).map((setting) => setting.env));
    for (const name of env.keys()) expect(known, `${name} is not a setting of the controller`).toContain(name);
  });

  test("every config.* value becomes its setting's environment variable, with the controller's own names", async () => {
    const objects = objectsOf(await helmTemplate(helm, CHARTS.meridian, { valuesFiles: [ALL_OPTIONS] }));
    const env = envOf(podSpec(find(objects, "Deployment")).containers[0]);
    const configValues = (parse(await readFile(ALL_OPTIONS, "utf8")) as { config: Record<string, unknown> }).config;
    const schemaKeys = Object.keys((await readSchema(CHARTS.meridian)).properties?.["config"]?.properties ?? {});
    expect(Object.keys(configValues).sort()).toEqual([...schemaKeys].sort());
    for (const [key, value] of Object.entries(configValues)) {
      const setting = SETTINGS[key as SettingKey] as { env: string } | undefined;
      expect(setting, `config.${key} is not a setting of the controller`).toBeDefined();
      expect(env.get(setting?.env ?? "")?.value).toBe(String(value));
    }
    expect(env.get("MERIDIAN_LISTEN")?.value).toBe(":9090");
    expect(env.get("NODE_OPTIONS")?.value).toBe("--max-old-space-size=768");
  });

  test("the schema agrees with the controller: defaults, durations, log levels", async () => {
    const config = (await readSchema(CHARTS.meridian)).properties?.["config"]?.properties ?? {};
    const values = parse(await readFile(join(CHARTS.meridian, "values.yaml"), "utf8")) as { config: Record<string, string> };
    for (const [key, node] of Object.entries(config)) expectAgreement(key, node, values.config[key]);
    expect(config["logLevel"]?.enum).toEqual(LOG_LEVELS);
  });

  test("the bundled Redis is labelled evaluation only and runs with maxmemory-policy noeviction", async () => {
    const objects = objectsOf(await helmTemplate(helm, CHARTS.meridian, { valuesFiles: [ALL_OPTIONS] }));
    const redis = find(objects, "Deployment", "mesh-control-redis");
    expect(redis.metadata.annotations?.["meridian.dev/note"]).toBe("evaluation only, not for production");
    const [container] = podSpec(redis).containers;
    expect(container?.args?.join(" ")).toContain("--maxmemory-policy noeviction");
    expect(container?.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    const controller = envOf(podSpec(find(objects, "Deployment", "mesh-control-controller")).containers[0]);
    expect(controller.get("REDIS_URL")?.value).toBe("redis://mesh-control-redis:6379");
    expect(find(objects, "ServiceMonitor")["spec"]).toMatchObject({ endpoints: [{ port: "http-metrics", path: "/metrics" }] });
  });

  test("a redis.url in values is kept in a Secret of the chart, never in the Deployment", async () => {
    const objects = objectsOf(await helmTemplate(helm, CHARTS.meridian, { valuesFiles: [EXTERNAL_REDIS] }));
    const secret = find(objects, "Secret", "meridian-redis-url");
    expect(secret["stringData"]).toEqual({ url: "rediss://:secret-password@redis.example.com:6380/0" });
    const deployment = find(objects, "Deployment");
    expect(JSON.stringify(deployment)).not.toContain("secret-password");
    const env = envOf(podSpec(deployment).containers[0]);
    expect(env.get("REDIS_URL")?.valueFrom).toEqual({ secretKeyRef: { name: "meridian-redis-url", key: "url" } });
    expect(env.get("REDIS_TLS_CA_FILE")?.value).toBe("/etc/meridian/redis-ca/ca.pem");
  });
});

describe("copies kept in sync", () => {
  test("the chart's crds/ holds exactly the files of crds/, byte for byte", async () => {
    const source = join(repoRoot, "crds");
    const copy = join(CHARTS.meridian, "crds");
    const names = (await readdir(source)).filter((name) => name.endsWith(".yaml")).sort();
    expect((await readdir(copy)).sort()).toEqual(names);
    for (const name of names) expect(await readFile(join(copy, name), "utf8"), `${copy}/${name}: copy crds/${name} again`).toBe(await readFile(join(source, name), "utf8"));
  });

  test("the member chart renders deploy/member-rbac.yaml, less the release namespace meridian-system", async () => {
    const rendered = objectsOf(await helmTemplate(await deployHelm(), CHARTS.member, { release: "meridian-member" }));
    const file = parseAllDocuments(await readFile(join(repoRoot, "deploy", "member-rbac.yaml"), "utf8")).map((document) => document.toJS() as RenderedObject);
    expect(rendered).toEqual(file.filter((object) => !(object.kind === "Namespace" && object.metadata.name === "meridian-system")));
  });

  test("the member chart refuses another namespace, since register and the home cluster expect meridian-system", async () => {
    const error = await helmTemplate(await deployHelm(), CHARTS.member, { namespace: "default" }).catch((err: Error) => err.message);
    expect(error).toContain('install the meridian-member chart into the namespace meridian-system (got "default")');
  });

  test(`deploy/manifests/ is the chart rendered with default values (re-render: ${RENDER_COMMAND})`, async () => {
    const rendered = await renderDeployManifests(await deployHelm());
    const committed = await readDeployManifests(rendered.keys());
    for (const [name, text] of rendered) expect(committed.get(name), `deploy/manifests/${name} is stale: run ${RENDER_COMMAND}`).toBe(text);
    expect((await readdir(join(repoRoot, "deploy", "manifests"))).sort()).toEqual([...rendered.keys()].sort());
  });

  test(`deploy/README.md's values tables match the schemas (re-render: ${RENDER_COMMAND})`, async () => {
    const readme = await readFile(DEPLOY_README, "utf8");
    expect(readme, `deploy/README.md's values tables are stale: run ${RENDER_COMMAND}`).toBe(await withValuesTables(readme, [CHARTS.meridian, CHARTS.member]));
  });

  test("every value has a description in the schema, and the chart's appVersion is the package's version", async () => {
    const undocumented = (node: SchemaNode, path: string): string[] =>
      node.properties === undefined
        ? node.description === undefined ? [path] : []
        : Object.entries(node.properties).flatMap(([key, child]) => undocumented(child, path === "" ? key : `${path}.${key}`));
    for (const chart of [CHARTS.meridian, CHARTS.member]) expect(undocumented(await readSchema(chart), "")).toEqual([]);
    const chart = parse(await readFile(join(CHARTS.meridian, "Chart.yaml"), "utf8")) as { appVersion: string };
    const pkg = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as { version: string };
    expect(chart.appVersion).toBe(pkg.version);
  });
});
