// One command for the harness by hand:
//   node --import tsx e2e/harness/cli.ts build          build (or find) kube-apiserver and etcd
//   node --import tsx e2e/harness/cli.ts start NAME     start a control plane until Ctrl-C
//   node --import tsx e2e/harness/cli.ts istio-crds     print the path of Istio's CRD file
//   node --import tsx e2e/harness/cli.ts build-istio    build (or find) istio-validate, pilot-discovery and xds-probe
//   node --import tsx e2e/harness/cli.ts build-toxiproxy  build (or find) Toxiproxy for the fault suite
//   node --import tsx e2e/harness/cli.ts preflight      check what the tests need; one line per missing thing, exit 1
import { once } from "node:events";
import { ensureBinaries } from "./ensure-binaries.js";
import { readHarnessConfig } from "./harness-config.js";
import { istioCrdsPath } from "./istio-crds.js";
import { ensureIstioProgram, ISTIO_PROGRAMS } from "./istio-binaries.js";
import { startControlPlane } from "./control-plane.js";
import { ensureToxiproxy } from "./toxiproxy.js";
import { checkPrerequisites, missing, renderPrerequisites } from "./prerequisites.js";

const USAGE = "usage: node --import tsx e2e/harness/cli.ts build | build-istio | build-toxiproxy | start NAME | istio-crds | preflight";

/** Prints only what is missing (silence when everything is there); exit code 1 if anything is. */
async function preflight(): Promise<void> {
  const problems = missing(await checkPrerequisites(readHarnessConfig()));
  if (problems.length === 0) return;
  console.error(`Missing prerequisites:\n${renderPrerequisites(problems)}`);
  process.exitCode = 1;
}

/** One at a time: the three share most of their compiled packages, and the machine's cores. */
async function buildIstio(): Promise<void> {
  const config = readHarnessConfig();
  for (const program of ISTIO_PROGRAMS) {
    const started = Date.now();
    const file = await ensureIstioProgram(program, config);
    console.log(JSON.stringify({ program, file, durationMs: Date.now() - started }));
  }
}

async function start(name: string): Promise<void> {
  const controlPlane = await startControlPlane({ name, config: readHarnessConfig() });
  console.log(JSON.stringify({ name, server: controlPlane.server, kubeconfig: controlPlane.kubeconfig, logs: controlPlane.logFiles }));
  console.log(`export KUBECONFIG=${controlPlane.kubeconfig}   # Ctrl-C stops the control plane`);
  await Promise.race([once(process, "SIGINT"), once(process, "SIGTERM")]);
  await controlPlane.stop();
}

async function main(args: readonly string[]): Promise<void> {
  const [command, name] = args;
  if (command === "build") {
    const started = Date.now();
    const binaries = await ensureBinaries(readHarnessConfig());
    console.log(JSON.stringify({ ...binaries, durationMs: Date.now() - started }));
  } else if (command === "build-istio") {
    await buildIstio();
  } else if (command === "build-toxiproxy") {
    const started = Date.now();
    console.log(JSON.stringify({ toxiproxy: await ensureToxiproxy(readHarnessConfig()), durationMs: Date.now() - started }));
  } else if (command === "preflight") {
    await preflight();
  } else if (command === "istio-crds") {
    console.log(await istioCrdsPath(readHarnessConfig()));
  } else if (command === "start" && name !== undefined) {
    await start(name);
  } else {
    throw new Error(USAGE);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
