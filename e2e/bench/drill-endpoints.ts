// What the members' ServiceEntries carry, read back by the drill benchmark (with the e2e tests'
// reader, not the controller's) to confirm the controller's verdicts independently: every host's
// endpoints as `address locality`, by `cluster ServiceEntry/name`.
import { endpointKeys } from "../../controller/core/drill-verify.js";
import { liveObjects } from "../support/fleet-state.js";
import type { BenchFleet } from "./converge-fleet.js";
import { SYNC } from "./converge-steps.js";

/** `cluster ServiceEntry/name` → its endpoints as `address locality`, sorted. */
export type FleetEndpoints = ReadonlyMap<string, readonly string[]>;

interface EntrySpec {
  readonly endpoints?: readonly { address?: string; locality?: string }[];
}

/** Every member's ServiceEntries for `identities`, read now. */
export async function fleetEndpoints(fleet: BenchFleet, identities: ReadonlySet<string>): Promise<FleetEndpoints> {
  const live = await liveObjects(fleet.members, SYNC, identities);
  const hosts = new Map<string, readonly string[]>();
  for (const [cluster, objects] of Object.entries(live)) {
    for (const [key, { spec }] of Object.entries(objects)) {
      if (key.startsWith("ServiceEntry/")) hosts.set(`${cluster} ${key}`, endpointKeys((spec as EntrySpec).endpoints ?? []));
    }
  }
  return hosts;
}

const regionOf = (endpoint: string): string => (endpoint.split(" ")[1] ?? "").split("/")[0] ?? "";

/** The endpoints (`host: endpoint`) whose locality is in `region`. */
export function endpointsInRegion(fleet: FleetEndpoints, region: string): string[] {
  return [...fleet].flatMap(([host, endpoints]) => endpoints.filter((e) => regionOf(e) === region).map((e) => `${host}: ${e}`));
}

/** Hosts left without any endpoint. */
export function emptyHosts(fleet: FleetEndpoints): string[] {
  return [...fleet].filter(([, endpoints]) => endpoints.length === 0).map(([host]) => host);
}

/** Hosts whose endpoints differ between `want` and `have` (either missing counts). */
export function differingHosts(want: FleetEndpoints, have: FleetEndpoints): string[] {
  const hosts = new Set([...want.keys(), ...have.keys()]);
  return [...hosts].filter((host) => JSON.stringify(want.get(host)) !== JSON.stringify(have.get(host))).sort();
}

/** `fleet` with the endpoints in `region` dropped: what a drill evacuating it should leave. */
export function withoutRegion(fleet: FleetEndpoints, region: string): FleetEndpoints {
  return new Map([...fleet].map(([host, endpoints]) => [host, endpoints.filter((e) => regionOf(e) !== region)]));
}
