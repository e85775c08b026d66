// A small fleet for the controller's e2e tests: the three control planes registered with the CLI in
// two regions, a namespace for workloads, an in-test federation whose graph is the "final inputs"
// the plan is computed from, and a check that the members' objects equal that plan.
import { CustomObjectsApi } from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";
import { Redis } from "ioredis";
import { inject } from "vitest";

import { API_VERSION } from "../../crds/index.js";
import { loadControllerConfig } from "../../controller/config/index.js";
import type { PlannerOptions } from "../../controller/core/index.js";
import { IDENTITY_LABEL } from "../../controller/core/index.js";
import { waitUntil } from "../harness/wait-until.js";
import { controlPlanes, statusOf } from "./clusters.js";
import type { ConnectedControlPlane } from "./clusters.js";
import { apply, unregisterAll } from "./federation-members.js";
import { settle, startFederation, suffix } from "./federation-runtime.js";
import type { RunningFederation } from "./federation-runtime.js";
import { deleteWorkloadsIn, ensureNamespace } from "./federation-workloads.js";
import { liveObjects, plannedObjects } from "./fleet-state.js";
import type { FleetObjects } from "./fleet-state.js";
import { meridian } from "./meridian-cli.js";

export const SYNC = "meridian-sync";
const ISTIO = { group: "networking.istio.io", version: "v1", namespace: SYNC };
const REGIONS = ["us-east", "us-east", "eu-west", "ap-south"];
const GATEWAYS = ["192.0.2.21", "192.0.2.22", "192.0.2.23", "192.0.2.24"];

export interface Member {
  readonly cluster: string;
  readonly plane: ConnectedControlPlane;
  readonly region: string;
  readonly gateway: string;
  /** The kubeconfig registration uses (default: the control plane's own). */
  readonly kubeconfig?: string;
}

export interface TestFleet {
  readonly home: ConnectedControlPlane;
  readonly members: readonly Member[];
  /** Unique per run: prefixes namespaces and identities. */
  readonly id: string;
  readonly namespace: string;
  readonly options: PlannerOptions;
  readonly federation: RunningFederation;
  readonly redisUrl: string;
  /** Identities the comparisons look at. */
  readonly identities: Set<string>;
  register(member: Member): Promise<void>;
  unregister(member: Member): Promise<void>;
  dependency(name: string, source: string, destinations: readonly string[]): KubernetesObject;
  live(): Promise<FleetObjects>;
  planned(): Promise<FleetObjects>;
  /** Waits until every member's objects equal the plan of the final inputs. */
  converged(what: string, timeoutMs?: number): Promise<void>;
  flushRedis(): Promise<void>;
  cleanUp(): Promise<void>;
}

export interface FleetOptions {
  /** A control plane of the test's own (one whose API server it may stop), as a fourth member in ap-south. */
  readonly extra?: ConnectedControlPlane;
  /** Each member's region, in the order of the control planes (default: us-east, us-east, eu-west, then ap-south). */
  readonly regions?: readonly string[];
  /** Control planes of the test's own instead of the global setup's (the first is the home cluster); with `redisUrl`, nothing is injected. */
  readonly planes?: readonly ConnectedControlPlane[];
  /** A Redis of the test's own (default: the global setup's). */
  readonly redisUrl?: string;
  /** Each member's kubeconfig for registration, by position (default: its control plane's own), e.g. one through a proxy. */
  readonly kubeconfigs?: readonly (string | undefined)[];
}

export async function setUpFleet(prefix: string, { extra, regions = REGIONS, ...own }: FleetOptions = {}): Promise<TestFleet> {
  const planes = [...(own.planes ?? controlPlanes()), ...(extra === undefined ? [] : [extra])];
  const home = planes[0] as ConnectedControlPlane;
  const id = suffix();
  const members = planes.map((plane, i) => ({ cluster: `${prefix}-${plane.info.name}`, plane, region: regions[i] ?? "", gateway: GATEWAYS[i] ?? "", kubeconfig: own.kubeconfigs?.[i] }));
  const loaded = loadControllerConfig({}, {});
  if (!loaded.ok) throw new Error(loaded.errors.join("; "));
  const options = loaded.config.planner;
  const namespace = `${prefix}-${id}`;
  const redisUrl = own.redisUrl ?? inject("redis").url;
  await unregisterAll(home);
  await flush(redisUrl);
  const fleet = makeFleet({ home, members, id, namespace, options, redisUrl, federation: await startFederation(home.kubeConfig) });
  for (const member of members) await fleet.register(member);
  await ensureNamespace(home, namespace);
  return fleet;
}

async function flush(url: string): Promise<void> {
  const redis = new Redis(url);
  await redis.flushall();
  redis.disconnect();
}

type FleetParts = Pick<TestFleet, "home" | "members" | "id" | "namespace" | "options" | "redisUrl" | "federation">;

function makeFleet(parts: FleetParts): TestFleet {
  const identities = new Set<string>();
  const clusters = parts.members.map((m) => m.cluster);
  const live = (): Promise<FleetObjects> => liveObjects(parts.members, SYNC, identities);
  const planned = async (): Promise<FleetObjects> => {
    await settle(parts.federation, 500);
    return plannedObjects(parts.federation.graph.snapshot(), parts.options, clusters, identities);
  };
  return {
    ...parts,
    identities,
    live,
    planned,
    register: (member) => registerMember(parts.home, member),
    unregister: async (member) => {
      const run = await meridian("cluster", "remove", member.cluster, "--home-kubeconfig", parts.home.info.kubeconfig);
      if (run.code !== 0) throw new Error(`cluster remove ${member.cluster}: ${run.stderr}`);
    },
    dependency: (name, source, destinations) =>
      ({ apiVersion: API_VERSION, kind: "ServiceDependency", metadata: { name, namespace: parts.namespace }, spec: { source: { identity: source }, destinations: destinations.map((identity) => ({ identity })) } }) as KubernetesObject,
    converged: (what, timeoutMs = 60_000) => waitForConvergence(live, planned, what, timeoutMs),
    flushRedis: () => flush(parts.redisUrl),
    cleanUp: () => cleanUp(parts, identities),
  };
}

async function registerMember(home: ConnectedControlPlane, member: Member): Promise<void> {
  const run = await meridian("cluster", "register", member.cluster, "--kubeconfig", member.kubeconfig ?? member.plane.info.kubeconfig, "--region", member.region, "--gateway-address", member.gateway, "--home-kubeconfig", home.info.kubeconfig);
  if (run.code !== 0) throw new Error(`cluster register ${member.cluster}: ${run.stderr}`);
}

async function waitForConvergence(live: () => Promise<FleetObjects>, planned: () => Promise<FleetObjects>, what: string, timeoutMs: number): Promise<void> {
  let last = "";
  try {
    await waitUntil(
      async () => {
        const [want, have] = [await planned(), await live()];
        last = JSON.stringify({ want, have });
        return JSON.stringify(want) === JSON.stringify(sortKeys(have, want));
      },
      { what, timeoutMs, intervalMs: 250 },
    );
  } catch (err) {
    console.error(`Last comparison (plan vs members):\n${last.slice(0, 20_000)}`);
    throw err;
  }
}

/** `have` with its keys in the order of `want` (JSON comparison is order-sensitive). */
function sortKeys(have: FleetObjects, want: FleetObjects): FleetObjects {
  const sorted: FleetObjects = {};
  for (const cluster of Object.keys(want)) {
    const objects = have[cluster] ?? {};
    const names = [...Object.keys(want[cluster] ?? {}), ...Object.keys(objects).filter((name) => !(name in (want[cluster] ?? {})))];
    sorted[cluster] = Object.fromEntries(names.filter((name) => name in objects).map((name) => [name, objects[name] as FleetObjects[string][string]]));
  }
  return sorted;
}

async function cleanUp(parts: FleetParts, identities: ReadonlySet<string>): Promise<void> {
  parts.federation.stop();
  await unregisterAll(parts.home);
  for (const { plane } of parts.members) {
    await deleteWorkloadsIn(plane, parts.namespace);
    const api = plane.kubeConfig.makeApiClient(CustomObjectsApi);
    for (const plural of ["serviceentries", "destinationrules"]) {
      const list = (await api.listNamespacedCustomObject({ ...ISTIO, plural })) as { items: KubernetesObject[] };
      for (const o of list.items.filter((item) => identities.has(item.metadata?.labels?.[IDENTITY_LABEL] ?? ""))) {
        await statusOf(api.deleteNamespacedCustomObject({ ...ISTIO, plural, name: o.metadata?.name ?? "" }));
      }
    }
  }
  const custom = parts.home.kubeConfig.makeApiClient(CustomObjectsApi);
  const deps = (await custom.listNamespacedCustomObject({ group: "meridian.dev", version: "v1alpha1", namespace: parts.namespace, plural: "servicedependencies" })) as { items: KubernetesObject[] };
  for (const d of deps.items) await statusOf(custom.deleteNamespacedCustomObject({ group: "meridian.dev", version: "v1alpha1", namespace: parts.namespace, plural: "servicedependencies", name: d.metadata?.name ?? "" }));
}

export { apply };
