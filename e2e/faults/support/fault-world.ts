// One fault case's world, so cases run side by side without sharing anything a fault touches: two
// control planes of its own (a, the home cluster and a member in us-east; b, a member in eu-west, the
// one faults hit), a Redis of its own, optionally a Toxiproxy between the controller and b, the
// fleet registered through the CLI, and `meridian controller` as a child process.
//
// The scenario: web runs in a and calls api and shared; worker runs in b and calls web and shared;
// api runs only in b, shared in both. So a holds routes to b's gateway and b routes to a's.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { parse, stringify } from "yaml";

import { MERIDIAN_NAMESPACE } from "../../../federation/registration/names.js";
import { startControlPlane, type ControlPlane } from "../../harness/control-plane.js";
import { freePort } from "../../harness/free-port.js";
import { startToxiproxy, type ToxiproxyServer } from "../../harness/toxiproxy.js";
import { connect, type ConnectedControlPlane } from "../../support/clusters.js";
import { apply, setUpFleet, type Member, type TestFleet } from "../../support/controller-fleet.js";
import { printControllerLog, startControllerProcess, type ControllerProcess } from "../../support/controller-process.js";
import { printFederationLog, suffix } from "../../support/federation-runtime.js";
import { applyWorkload, setReady } from "../../support/federation-workloads.js";
import { recordCliRunsIn } from "../../support/meridian-cli.js";
import { createProxy, type ToxiProxy } from "../../support/toxiproxy.js";
import { keepLog, logsDir, recordSecrets, writeLog } from "./fault-run.js";
import { startRestartableRedis, type RestartableRedis } from "./restartable-redis.js";

/** A resync every minute, so one falls inside every 60 s fault. */
export const CONTROLLER_ARGS = ["--resync-interval", "1m", "--lease-duration", "4s"];

export interface WorldOptions {
  /** Register b through a Toxiproxy proxy (the controller then reaches b only through it). */
  readonly throughToxiproxy?: boolean;
  /** Start b with API Priority and Fairness on (so a FlowSchema can throttle the controller there). */
  readonly priorityAndFairnessInB?: boolean;
}

export interface FaultWorld {
  readonly name: string;
  /** a (home, us-east) and b (eu-west), as the harness started them. */
  readonly planes: { readonly a: ControlPlane; readonly b: ControlPlane };
  readonly fleet: TestFleet;
  readonly a: Member;
  readonly b: Member;
  readonly redis: RestartableRedis;
  readonly proxy: ToxiProxy | undefined;
  readonly identities: { readonly web: string; readonly api: string; readonly shared: string; readonly worker: string };
  readonly controllers: ControllerProcess[];
  startController(args?: readonly string[], options?: { readonly uid?: number; readonly homeKubeconfig?: string }): ControllerProcess;
  /** A change only a's objects show: shared's endpoints in a move to zone `zone-<n>`. */
  changeInA(n: number): Promise<void>;
  stop(): Promise<void>;
}

function connected(plane: ControlPlane): ConnectedControlPlane {
  const { name, server, kubeconfig, adminToken, logFiles } = plane;
  return connect({ name, server, kubeconfig, adminToken, logFiles: [...logFiles] });
}

/** b's kubeconfig with its server replaced by the proxy's address (the serving certificate has 127.0.0.1 in its SANs). */
function kubeconfigThrough(plane: ControlPlane, listen: string, dir: string): string {
  const document = parse(readFileSync(plane.kubeconfig, "utf8")) as { clusters: { cluster: { server: string } }[] };
  for (const entry of document.clusters) entry.cluster.server = `https://${listen}`;
  const file = join(dir, "b-through-toxiproxy.yaml");
  writeFileSync(file, stringify(document), { mode: 0o600 });
  return file;
}

async function startProxy(dir: string, b: ControlPlane): Promise<{ server: ToxiproxyServer; proxy: ToxiProxy; kubeconfig: string }> {
  const server = await startToxiproxy(dir);
  const proxy = await createProxy(server.apiUrl, "member-b", `127.0.0.1:${await freePort()}`, new URL(b.server).host);
  return { server, proxy, kubeconfig: kubeconfigThrough(b, proxy.listen, dir) };
}

/** Starts the world and waits until the members equal the plan. */
export async function startWorld(name: string, options: WorldOptions = {}): Promise<FaultWorld> {
  const dir = mkdtempSync(join(tmpdir(), `meridian-fault-${name}-`));
  recordCliRunsIn(logsDir());
  const started: { stop(): Promise<void> }[] = [];
  try {
    const [a, b] = await Promise.all([startControlPlane({ name: `${name}-a` }), startControlPlane({ name: `${name}-b`, priorityAndFairness: options.priorityAndFairnessInB })]);
    started.push(a, b);
    const redis = await startRestartableRedis(dir);
    started.push({ stop: () => redis.stop({ keepData: false }) });
    const toxiproxy = options.throughToxiproxy === true ? await startProxy(dir, b) : undefined;
    if (toxiproxy !== undefined) started.push(toxiproxy.server);
    const fleet = await setUpFleet("m", { planes: [connected(a), connected(b)], regions: ["us-east", "eu-west"], redisUrl: redis.url, kubeconfigs: [undefined, toxiproxy?.kubeconfig] });
    const world = await populate({ name, dir, planes: { a, b }, fleet, redis, proxy: toxiproxy?.proxy, stopAll: () => stopAll(started, dir) });
    world.startController();
    await fleet.converged("the first plan", 180_000);
    return world;
  } catch (err) {
    await stopAll(started, dir);
    throw err;
  }
}

async function stopAll(started: readonly { stop(): Promise<void> }[], dir: string): Promise<void> {
  await Promise.allSettled(started.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
}

interface WorldParts {
  readonly name: string;
  readonly dir: string;
  readonly planes: FaultWorld["planes"];
  readonly fleet: TestFleet;
  readonly redis: RestartableRedis;
  readonly proxy: ToxiProxy | undefined;
  readonly stopAll: () => Promise<void>;
}

async function populate(parts: WorldParts): Promise<FaultWorld> {
  const { fleet } = parts;
  const [a, b] = fleet.members as [Member, Member];
  const id = fleet.id;
  const identities = { web: `web-${id}`, api: `api-${id}`, shared: `shared-${id}`, worker: `worker-${id}` };
  for (const identity of Object.values(identities)) fleet.identities.add(identity);
  const namespace = fleet.namespace;
  await applyWorkload(a.plane, { namespace, name: "web", identity: identities.web, ready: 1 });
  await applyWorkload(a.plane, { namespace, name: "shared", identity: identities.shared, ready: 1 });
  await applyWorkload(b.plane, { namespace, name: "shared", identity: identities.shared, ready: 1 });
  await applyWorkload(b.plane, { namespace, name: "api", identity: identities.api, ready: 2 });
  await applyWorkload(b.plane, { namespace, name: "worker", identity: identities.worker, ready: 1 });
  await apply(fleet.home.objects, fleet.dependency("web", identities.web, [identities.api, identities.shared]));
  await apply(fleet.home.objects, fleet.dependency("worker", identities.worker, [identities.web, identities.shared]));
  const controllers: ControllerProcess[] = [];
  return {
    name: parts.name,
    planes: parts.planes,
    fleet,
    a,
    b,
    redis: parts.redis,
    proxy: parts.proxy,
    identities,
    controllers,
    startController: (args = CONTROLLER_ARGS, options = {}) => {
      const controller = startControllerProcess({ homeKubeconfig: options.homeKubeconfig ?? fleet.home.info.kubeconfig, redisUrl: parts.redis.url, args, ...(options.uid === undefined ? {} : { uid: options.uid, env: { HOME: tmpdir() } }) });
      controllers.push(controller);
      return controller;
    },
    changeInA: (n) => setReady(a.plane, { namespace, name: "shared", identity: identities.shared, ready: 1, zone: `zone-${n}` }),
    stop: async () => {
      await keepSecrets(parts.name, fleet, Object.values(parts.planes));
      await dumpState(parts.name, fleet, controllers);
      await Promise.allSettled(controllers.map((c) => c.stop()));
      for (const controller of controllers) keepLog(controller.logFile, parts.name);
      fleet.federation.stop();
      await parts.stopAll();
    },
  };
}

/** What a user can read besides logs, for the secrets scan: the home's Events, Meridian's objects with their status, each controller's /metrics. */
async function dumpState(caseName: string, fleet: TestFleet, controllers: readonly ControllerProcess[]): Promise<void> {
  const custom = fleet.home.kubeConfig.makeApiClient(CustomObjectsApi);
  const parts: unknown[] = [await fleet.home.core.listEventForAllNamespaces().catch((err: unknown) => String(err))];
  for (const plural of ["meshclusters", "servicedependencies", "trafficpolicies", "failoverdrills"]) {
    parts.push(await custom.listClusterCustomObject({ group: "meridian.dev", version: "v1alpha1", plural }).catch((err: unknown) => String(err)));
  }
  const metricsOf = async (c: ControllerProcess): Promise<string> => (await fetch(`http://127.0.0.1:${await c.port()}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  const metrics = await Promise.all(controllers.map((c) => metricsOf(c).catch(() => "")));
  writeLog(`${caseName}-state.json`, `${JSON.stringify(parts, null, 1)}\n`);
  writeLog(`${caseName}-metrics.txt`, metrics.join("\n"));
}

/** The admin tokens and the members' stored ServiceAccount tokens, for the secrets scan. */
async function keepSecrets(caseName: string, fleet: TestFleet, planes: readonly ControlPlane[]): Promise<void> {
  const secrets = planes.map((plane) => plane.adminToken);
  const core = fleet.home.kubeConfig.makeApiClient(CoreV1Api);
  const list = await core.listNamespacedSecret({ namespace: MERIDIAN_NAMESPACE }).catch(() => ({ items: [] }));
  for (const secret of list.items) {
    for (const value of Object.values(secret.data ?? {})) {
      const text = Buffer.from(value, "base64").toString("utf8");
      secrets.push(...[...text.matchAll(/token:\s*"?([A-Za-z0-9._-]{16,})/g)].map((m) => m[1] ?? ""));
    }
  }
  recordSecrets(`${caseName}-${suffix()}`, secrets);
}

/** For a failing case: each controller's log tail, the federation's log and both control planes' logs. */
export function printWorldLogs(world: FaultWorld | undefined): void {
  if (world === undefined) return;
  for (const controller of world.controllers) printControllerLog(controller, 80);
  printFederationLog(world.fleet.federation, 30);
  console.error(`Control planes of ${world.name}:\n${world.planes.a.logTail(15)}\n${world.planes.b.logTail(15)}`);
}

/** The kube-apiserver's PID now (a restart replaces the process). */
export function apiServerPid(plane: ControlPlane): number {
  const process = plane.processes.find((p) => p.name === "kube-apiserver");
  if (process === undefined) throw new Error(`${plane.name} has no kube-apiserver process`);
  return process.pid;
}

/** The proxy between the controller and b (a world started with `throughToxiproxy`). */
export function toxiproxyOf(world: FaultWorld): ToxiProxy {
  if (world.proxy === undefined) throw new Error(`The world ${world.name} has no Toxiproxy`);
  return world.proxy;
}

/**
 * The world of the describe block it is called in: started before its tests, stopped after (after
 * `cleanUp`, e.g. SIGCONT for a frozen server), its logs printed when a test fails.
 */
export function useWorld(name: string, options: WorldOptions = {}, cleanUp?: (world: FaultWorld) => Promise<void>): () => FaultWorld {
  let world: FaultWorld | undefined;
  beforeAll(async () => void (world = await startWorld(name, options)));
  afterAll(async () => {
    if (world !== undefined) await cleanUp?.(world).catch(() => undefined);
    await world?.stop();
  });
  beforeEach(({ onTestFailed }) => onTestFailed(() => printWorldLogs(world)));
  return () => {
    if (world === undefined) throw new Error(`The world ${name} did not start`);
    return world;
  };
}
