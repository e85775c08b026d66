// Kubernetes objects from multi-document YAML files, parsed once per file per process.
import { readFile } from "node:fs/promises";
import { loadAllYaml, type KubernetesObject } from "@kubernetes/client-node";

const parsed = new Map<string, Promise<KubernetesObject[]>>();

/**
 * Parses with client-node's own loader: it maps built-in kinds to client-node's model names
 * (e.g. `x-kubernetes-int-or-string` → `x_kubernetes_int_or_string`), which its serializer
 * expects; plain parsed YAML would silently lose such fields on the way out.
 */
export function parseObjects(text: string): KubernetesObject[] {
  const documents: unknown[] = loadAllYaml(text);
  return documents.filter((value): value is KubernetesObject => typeof value === "object" && value !== null && "kind" in value);
}

export function readObjects(file: string): Promise<KubernetesObject[]> {
  let objects = parsed.get(file);
  if (objects === undefined) {
    objects = readFile(file, "utf8").then(parseObjects);
    parsed.set(file, objects);
  }
  return objects;
}
