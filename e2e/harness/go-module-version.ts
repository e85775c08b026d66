// Reads a pinned dependency's version from one of the harness's go.mod files, the only place it is written.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { goModuleDir, type GoModuleName } from "./repo-paths.js";

export function requiredVersion(goMod: string, modulePath: string): string | undefined {
  const escaped = modulePath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, "m").exec(goMod)?.[1];
}

export async function pinnedVersion(module: GoModuleName, modulePath: string): Promise<string> {
  const file = join(goModuleDir(module), "go.mod");
  const version = requiredVersion(await readFile(file, "utf8"), modulePath);
  if (version === undefined) throw new Error(`${file} does not require ${modulePath}: restore the require line.`);
  return version;
}

/** The Kubernetes release the harness builds, e.g. `1.36.3`. */
export async function kubernetesVersion(): Promise<string> {
  return (await pinnedVersion("kube-apiserver", "k8s.io/kubernetes")).replace(/^v/, "");
}
