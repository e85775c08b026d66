// Where the harness's own files live, independent of the current working directory.
import { fileURLToPath } from "node:url";

/** The repository root (the folder holding `crds/` and `e2e/`). */
export const repoRoot: string = fileURLToPath(new URL("../../", import.meta.url));

export type GoModuleName = "kube-apiserver" | "etcd" | "istio-crds" | "istio-validate" | "pilot-discovery" | "toxiproxy";

/** The Go module that builds one binary or pins one dependency: `e2e/go/<name>`. */
export function goModuleDir(name: GoModuleName): string {
  return fileURLToPath(new URL(`../go/${name}/`, import.meta.url));
}
