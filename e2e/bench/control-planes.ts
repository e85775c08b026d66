// Measures the e2e harness on this machine and prints one JSON line at the end:
//   node --import tsx e2e/bench/control-planes.ts [--cold]
// --cold first builds both binaries into empty temporary caches (minutes) to time a cold build.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBinaries, readHarnessConfig, startControlPlane, startEtcd, type ControlPlane, type HarnessConfig } from "../harness/index.js";

const NAMES = ["bench-a", "bench-b", "bench-c"];

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - started) };
}

const mb = (kb: number): number => Math.round(kb / 1024);

async function coldBuildMs(config: HarnessConfig): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "meridian-cold-build-"));
  const cold = { ...config, kubebuilderAssets: undefined, cacheHome: dir, goEnv: { ...config.goEnv, GOCACHE: join(dir, "go-build") } };
  try {
    return (await timed(() => ensureBinaries(cold))).ms;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function stopAll(controlPlanes: readonly ControlPlane[]): Promise<void> {
  await Promise.all(controlPlanes.map((controlPlane) => controlPlane.stop()));
}

async function ownEtcd(config: HarnessConfig): Promise<Record<string, number>> {
  const one = await timed(() => startControlPlane({ name: "bench-one", config }));
  const oneRss = one.value.rssKb();
  await one.value.stop();
  const three = await timed(() => Promise.all(NAMES.map((name) => startControlPlane({ name, config }))));
  const threeRss = three.value.reduce((sum, controlPlane) => sum + controlPlane.rssKb(), 0);
  await stopAll(three.value);
  return { one_start_ms: one.ms, one_rss_mb: mb(oneRss), three_start_ms: three.ms, total_rss_mb: mb(threeRss) };
}

async function sharedEtcd(config: HarnessConfig): Promise<Record<string, number>> {
  const binaries = await ensureBinaries(config);
  const dir = await mkdtemp(join(tmpdir(), "meridian-bench-etcd-"));
  try {
    const three = await timed(async () => {
      const etcd = await startEtcd(binaries.etcd, dir);
      return { etcd, controlPlanes: await Promise.all(NAMES.map((name) => startControlPlane({ name, config, sharedEtcd: etcd }))) };
    });
    const { etcd, controlPlanes } = three.value;
    const rss = etcd.process.rssKb() + controlPlanes.reduce((sum, controlPlane) => sum + controlPlane.rssKb(), 0);
    await stopAll(controlPlanes);
    await etcd.process.stop();
    return { shared_etcd_three_start_ms: three.ms, shared_etcd_total_rss_mb: mb(rss) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(args: readonly string[]): Promise<void> {
  const config = readHarnessConfig();
  const cold = args.includes("--cold") ? { cold_build_ms: await coldBuildMs(config) } : {};
  const warm = await timed(() => ensureBinaries(config));
  const own = await ownEtcd(config);
  const shared = await sharedEtcd(config);
  console.log(JSON.stringify({ bench: "control-planes", ...cold, warm_ensure_binaries_ms: warm.ms, ...own, ...shared }));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
