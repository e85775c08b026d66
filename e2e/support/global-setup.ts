// Vitest global setup for the e2e project: builds or finds the binaries, then starts three
// control planes and one Redis shared by every e2e test file, and stops them afterwards.
import type { TestProject } from "vitest/node";
import { ensureBinaries, readHarnessConfig, startControlPlane, startRedis, type ControlPlane, type TestRedis } from "../harness/index.js";
import type { ControlPlaneInfo } from "./provided-context.js";
import "./provided-context.js";

/** Three member clusters, as in a small multi-region mesh. */
export const CONTROL_PLANE_NAMES: readonly string[] = ["us-east", "eu-west", "ap-south"];

function toInfo(controlPlane: ControlPlane): ControlPlaneInfo {
  const { name, server, kubeconfig, adminToken, logFiles } = controlPlane;
  return { name, server, kubeconfig, adminToken, logFiles: [...logFiles] };
}

async function stopAll(servers: readonly { stop(): Promise<void> }[]): Promise<void> {
  await Promise.allSettled(servers.map((server) => server.stop()));
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = readHarnessConfig();
  await ensureBinaries(config);
  const results = await Promise.allSettled([startRedis(config), ...CONTROL_PLANE_NAMES.map((name) => startControlPlane({ name, config }))]);
  const started = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failure = results.find((result) => result.status === "rejected");
  if (failure !== undefined) {
    await stopAll(started);
    throw failure.reason;
  }
  const [redis, ...controlPlanes] = started as [TestRedis, ...ControlPlane[]];
  project.provide("controlPlanes", controlPlanes.map(toInfo));
  project.provide("redis", { url: redis.url });
  return () => stopAll(started);
}
