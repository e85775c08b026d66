// What the e2e tests and the demo need before they start anything, checked in one go: the Node.js
// they run on, kube-apiserver and etcd (given, cached, or Go to build them), Istio's CRDs (given, or
// Go to download them), istiod and the xDS probe (given, cached, or Go to build them), and Redis. Each missing prerequisite is one line that says what to do.
import { join } from "node:path";

import { nodeRuntimeVerdict } from "../../controller/cli/node-runtime.js";
import { binaryCacheDir } from "./ensure-binaries.js";
import { isExecutable } from "./find-executable.js";
import { findGo, GoMissingError } from "./go-toolchain.js";
import { kubernetesVersion } from "./go-module-version.js";
import type { HarnessConfig } from "./harness-config.js";
import { istioProgramFound } from "./istio-binaries.js";
import { istiodMissingMessage } from "./prerequisite-messages.js";
import { redisSource } from "./redis-server.js";

export interface Prerequisite {
  readonly name: string;
  /** What was found, when it was. */
  readonly found?: string;
  /** The one line that says what is missing and what to do. */
  readonly problem?: string;
}

function nodeCheck(): Prerequisite {
  const verdict = nodeRuntimeVerdict({ version: process.version, platform: process.platform, arch: process.arch, execPath: process.execPath, bundledNode: undefined });
  const found = `Node.js ${process.version} (${process.execPath})`;
  return verdict.kind === "ok" ? { name: "node", found } : { name: "node", problem: verdict.kind === "problem" ? verdict.message : `${found} is too old` };
}

async function goCheck(config: HarnessConfig): Promise<{ go?: string; problem?: string }> {
  try {
    return { go: await findGo(config) };
  } catch (err) {
    if (err instanceof GoMissingError) return { problem: err.message };
    throw err;
  }
}

async function cachedBinaries(config: HarnessConfig): Promise<string | undefined> {
  const dir = binaryCacheDir(config, await kubernetesVersion());
  const cached = (await isExecutable(join(dir, "kube-apiserver"))) && (await isExecutable(join(dir, "etcd")));
  return cached ? dir : undefined;
}

async function binariesCheck(config: HarnessConfig, go: { go?: string; problem?: string }): Promise<Prerequisite> {
  const name = "kube-apiserver, etcd";
  if (config.kubebuilderAssets !== undefined) return { name, found: `KUBEBUILDER_ASSETS=${config.kubebuilderAssets}` };
  const cached = await cachedBinaries(config);
  if (cached !== undefined) return { name, found: `cached in ${cached}` };
  if (go.go !== undefined) return { name, found: `to be built with ${go.go} (the first time only: 5–7 minutes on 2 cores)` };
  return { name, problem: go.problem ?? "no Go" };
}

function istioCrdsCheck(config: HarnessConfig, go: { go?: string; problem?: string }): Prerequisite {
  const name = "Istio's CRDs";
  if (config.istioCrdsFile !== undefined) return { name, found: `MERIDIAN_ISTIO_CRDS=${config.istioCrdsFile}` };
  if (go.go !== undefined) return { name, found: "from the istio.io/api Go module (go mod download)" };
  return { name, problem: `Istio's CRDs come from the istio.io/api Go module, and Go is missing: install Go >= 1.24 (https://go.dev/dl), or set MERIDIAN_ISTIO_CRDS to a copy of its kubernetes/customresourcedefinitions.gen.yaml.` };
}

async function istiodCheck(config: HarnessConfig, go: { go?: string; problem?: string }): Promise<Prerequisite> {
  const name = "istiod, xds-probe";
  const found = await Promise.all([istioProgramFound("pilot-discovery", config), istioProgramFound("xds-probe", config)]);
  if (found.every((f) => f !== undefined)) return { name, found: found.join("; ") };
  if (go.go !== undefined) return { name, found: `to be built with ${go.go} from the istio.io/istio Go module (the first time only: 10–20 minutes on 2 cores)` };
  return { name, problem: istiodMissingMessage() };
}

async function redisCheck(config: HarnessConfig): Promise<Prerequisite> {
  const source = await redisSource(config);
  return "problem" in source ? { name: "redis", problem: source.problem } : { name: "redis", found: `${source.source}: ${source.detail}` };
}

/** Every prerequisite, found or not; nothing is started or built. */
export async function checkPrerequisites(config: HarnessConfig): Promise<Prerequisite[]> {
  const go = await goCheck(config);
  return [nodeCheck(), await binariesCheck(config, go), istioCrdsCheck(config, go), await istiodCheck(config, go), await redisCheck(config)];
}

/** One line per prerequisite: `ok   name: found` or `MISSING name: what to do`. */
export function renderPrerequisites(checks: readonly Prerequisite[]): string {
  return checks.map((check) => (check.problem === undefined ? `ok       ${check.name}: ${check.found ?? ""}` : `MISSING  ${check.name}: ${check.problem}`)).join("\n");
}

export const missing = (checks: readonly Prerequisite[]): Prerequisite[] => checks.filter((check) => check.problem !== undefined);
