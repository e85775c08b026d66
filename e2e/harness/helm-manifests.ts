// deploy/manifests/: the chart rendered with default values, for kubectl and kustomize users. The
// files are written by `node --import tsx e2e/harness/helm-cli.ts render` and compared with a fresh
// render by e2e/deploy-chart.e2e.test.ts, so a template changed without re-rendering fails the tests.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Helm } from "./helm.js";
import { CHARTS, DEFAULT_NAMESPACE, helmTemplate, yamlDocuments } from "./helm-chart.js";
import { repoRoot } from "./repo-paths.js";

export const MANIFESTS_DIR: string = join(repoRoot, "deploy", "manifests");
export const RENDER_COMMAND = "node --import tsx e2e/harness/helm-cli.ts render";

const HEADER = [
  `# Rendered from deploy/helm/meridian with default values (release meridian, namespace ${DEFAULT_NAMESPACE}).`,
  `# Do not edit: change the chart, then run \`${RENDER_COMMAND}\`;`,
  "# e2e/deploy-chart.e2e.test.ts fails while this file and the chart disagree.",
].join("\n");

const NAMESPACE = [
  "# Not part of the chart (helm install --create-namespace makes it): the namespace of everything below.",
  "apiVersion: v1",
  "kind: Namespace",
  "metadata:",
  `  name: ${DEFAULT_NAMESPACE}`,
].join("\n");

const KUSTOMIZATION = [
  HEADER,
  "apiVersion: kustomize.config.k8s.io/v1beta1",
  "kind: Kustomization",
  "resources:",
  "  - crds.yaml",
  "  - meridian.yaml",
  "",
].join("\n");

function file(documents: readonly string[]): string {
  return `${HEADER}\n${documents.map((document) => `---\n${document}\n`).join("")}`;
}

/** The files of deploy/manifests/, by name, as the chart renders them now. */
export async function renderDeployManifests(helm: Helm): Promise<Map<string, string>> {
  const documents = yamlDocuments(await helmTemplate(helm, CHARTS.meridian, { includeCrds: true }));
  const isCrd = (document: string): boolean => document.startsWith("# Source: meridian/crds/");
  return new Map([
    ["crds.yaml", file(documents.filter(isCrd))],
    ["meridian.yaml", file([NAMESPACE, ...documents.filter((document) => !isCrd(document))])],
    ["kustomization.yaml", KUSTOMIZATION],
  ]);
}

export async function writeDeployManifests(helm: Helm): Promise<string[]> {
  const files = await renderDeployManifests(helm);
  for (const [name, text] of files) await writeFile(join(MANIFESTS_DIR, name), text);
  return [...files.keys()].map((name) => join(MANIFESTS_DIR, name));
}

/** The files of deploy/manifests/ as committed (undefined when missing). */
export async function readDeployManifests(names: Iterable<string>): Promise<Map<string, string | undefined>> {
  const read = async (name: string) => [name, await readFile(join(MANIFESTS_DIR, name), "utf8").catch(() => undefined)] as const;
  return new Map(await Promise.all([...names].map(read)));
}
