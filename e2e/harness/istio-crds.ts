// Istio's real CRDs, read from the istio.io/api module pinned in e2e/go/istio-crds/go.mod.
import { join } from "node:path";
import { readHarnessConfig, type HarnessConfig } from "./harness-config.js";
import { findGo } from "./go-toolchain.js";
import { goModuleDir } from "./repo-paths.js";
import { runCommand } from "./run-command.js";

const CRD_FILE = join("kubernetes", "customresourcedefinitions.gen.yaml");

/** Path of `customresourcedefinitions.gen.yaml` in the Go module cache (downloaded if needed). */
export async function istioCrdsPath(config: HarnessConfig = readHarnessConfig()): Promise<string> {
  if (config.istioCrdsFile !== undefined) return config.istioCrdsFile;
  const go = await findGo(config);
  const { stdout } = await runCommand(go, ["mod", "download", "-json", "istio.io/api"], {
    cwd: goModuleDir("istio-crds"),
    env: config.goEnv,
  });
  const dir: unknown = (JSON.parse(stdout) as { Dir?: unknown }).Dir;
  if (typeof dir !== "string") throw new Error(`go mod download -json istio.io/api printed no Dir: ${stdout}`);
  return join(dir, CRD_FILE);
}
