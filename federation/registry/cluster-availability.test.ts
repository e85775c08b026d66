// clusterAvailability: what /readyz waits for, and what it reports as not synced.
import { describe, expect, it } from "vitest";

import { clusterAvailability } from "./cluster-availability.js";
import type { AvailabilityInputs } from "./cluster-availability.js";
import type { ApiFailure } from "../watch/api-failure.js";

const failure = { kind: "Unreachable", message: "cannot reach https://192.0.2.9:6443 (connect ECONNREFUSED)" } as ApiFailure;
const base: AvailabilityInputs = { credentialsUsable: true, probe: { reachable: true }, access: undefined, watches: { phase: "Syncing", pending: ["services"] }, syncedSinceStart: false };

describe("clusterAvailability", () => {
  it("waits for a reachable member whose watches are still listing, and for one not probed yet", () => {
    expect(clusterAvailability(base)).toEqual({ syncedNow: false, awaited: true, problem: "syncing" });
    expect(clusterAvailability({ ...base, probe: undefined, watches: { phase: "NotStarted" } })).toEqual({ syncedNow: false, awaited: true, problem: "not probed yet" });
  });

  it("does not wait for a member that cannot sync, and says why", () => {
    expect(clusterAvailability({ ...base, probe: { reachable: false, failure } })).toEqual({ syncedNow: false, awaited: false, problem: "unreachable" });
    expect(clusterAvailability({ ...base, credentialsUsable: false })).toMatchObject({ awaited: false, problem: "credentials not usable" });
    expect(clusterAvailability({ ...base, probe: { reachable: true, authFailure: failure } })).toMatchObject({ awaited: false, problem: "credentials rejected" });
    expect(clusterAvailability({ ...base, access: { ok: false, failure } })).toMatchObject({ awaited: false, problem: "permission review failed" });
    expect(clusterAvailability({ ...base, watches: { phase: "Failing", failures: ["endpointslices: 403"] } })).toMatchObject({ awaited: false, problem: "watches failing" });
  });

  it("is synced only while the watches are (as the MeshCluster's Synced condition), and never waited for again once synced", () => {
    expect(clusterAvailability({ ...base, watches: { phase: "Synced", watches: 5, namespaces: 3 }, syncedSinceStart: true })).toEqual({ syncedNow: true, awaited: false, problem: undefined });
    expect(clusterAvailability({ ...base, probe: { reachable: false, failure }, watches: { phase: "Failing", failures: ["x"] }, syncedSinceStart: true })).toEqual({
      syncedNow: false,
      awaited: false,
      problem: "unreachable",
    });
    expect(clusterAvailability({ ...base, syncedSinceStart: true })).toMatchObject({ awaited: false, problem: "syncing" });
  });
});
