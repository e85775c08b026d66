import { describe, expect, it } from "vitest";

import type { MeshClusterStatus } from "../../crds/index.js";
import { clusterStatus, invalidClusterStatus } from "./cluster-status.js";
import type { ClusterObservations } from "./observations.js";

const now = new Date("2026-05-01T12:00:00Z");
const later = new Date("2026-05-01T12:10:00Z");
const server = "https://10.0.0.1:6443";
const secret = 'meridian-system/meridian-member-east-1, key "kubeconfig"';

const healthy: ClusterObservations = {
  cluster: "east-1",
  generation: 2,
  secret,
  server,
  credentials: { state: "valid" },
  previousCredentialsServing: false,
  probe: { reachable: true, serverVersion: "v1.36.3", user: "system:serviceaccount:meridian-system:meridian" },
  access: { ok: true, rollouts: false, checked: 39, missing: [], excess: [] },
  watches: { phase: "Synced", watches: 5, namespaces: 3 },
  serverVersion: "v1.36.3",
  workloadCount: 4,
  lastSyncTime: "2026-05-01T11:59:00Z",
  probeIntervalMs: 10_000,
};

function conditions(status: MeshClusterStatus): Record<string, string> {
  return Object.fromEntries((status.conditions ?? []).map((c) => [c.type, `${c.status} ${c.reason}: ${c.message}`]));
}

describe("clusterStatus", () => {
  it("reports a healthy cluster: four True conditions, version, sync time, workloads, generation", () => {
    const status = clusterStatus(healthy, undefined, now);
    expect(conditions(status)).toEqual({
      Connected: "True Connected: Reached https://10.0.0.1:6443 (Kubernetes v1.36.3).",
      CredentialsValid: `True Authenticated: Authenticated as system:serviceaccount:meridian-system:meridian with Secret ${secret}.`,
      PermissionsVerified: "True Verified: Holds every permission Meridian needs (39 access reviews).",
      Synced: "True Synced: Watching 3 namespaces with 5 watches; 4 workloads.",
    });
    expect(status).toMatchObject({ observedGeneration: 2, serverVersion: "v1.36.3", lastSyncTime: "2026-05-01T11:59:00Z", workloadCount: 4 });
    expect(status.conditions?.every((c) => c.observedGeneration === 2 && c.lastTransitionTime === "2026-05-01T12:00:00Z")).toBe(true);
  });

  it("keeps transition times while statuses hold, and is equal when nothing changed", () => {
    const first = clusterStatus(healthy, undefined, now);
    expect(clusterStatus(healthy, first, later)).toEqual(first);
  });

  it("leaves another writer's condition (register's EastWestGateway) out of what it applies", () => {
    const first = clusterStatus(healthy, undefined, now);
    const gateway = { type: "EastWestGateway", status: "False" as const, reason: "GatewayMissing", message: "m", lastTransitionTime: "2026-05-01T11:00:00Z" };
    const next = clusterStatus(healthy, { ...first, conditions: [...(first.conditions ?? []), gateway] }, later);
    expect(next).toEqual(first);
  });

  it("reports an unreachable server, keeping the last known version", () => {
    const probe = { reachable: false as const, failure: { kind: "Unreachable" as const, message: `cannot reach ${server} (connect ECONNREFUSED): check the address and that the API server runs` } };
    const previous = clusterStatus(healthy, undefined, now);
    const status = clusterStatus({ ...healthy, probe, serverVersion: undefined, watches: { phase: "Failing", failures: ["cannot list and watch services (cluster-wide): refused"] } }, previous, later);
    const c = conditions(status);
    expect(c["Connected"]).toBe(
      `False Unreachable: Cannot reach ${server} (connect ECONNREFUSED): check the address and that the API server runs. Meridian retries every 10 s; other clusters are not affected.`,
    );
    expect(c["CredentialsValid"]).toBe("Unknown NotChecked: Not checked: the API server has not answered.");
    expect(c["PermissionsVerified"]).toMatch(/^Unknown NotChecked/);
    expect(c["Synced"]).toBe("False WatchFailed: Cannot list and watch services (cluster-wide): refused. Each watch restarts with backoff; the last synced objects are kept meanwhile.");
    expect(status.serverVersion).toBe("v1.36.3");
    expect(status.conditions?.find((x) => x.type === "Connected")?.lastTransitionTime).toBe("2026-05-01T12:10:00Z");
  });

  it("reports a certificate the kubeconfig's CA does not trust on Connected and CredentialsValid", () => {
    const probe = { reachable: false as const, failure: { kind: "TLS" as const, message: `cannot verify the certificate of ${server} (SELF_SIGNED_CERT_IN_CHAIN)` } };
    const c = conditions(clusterStatus({ ...healthy, probe, access: undefined, watches: { phase: "NotStarted" } }, undefined, now));
    expect(c["Connected"]).toMatch(/^False TLSHandshakeFailed: Cannot verify the certificate/);
    expect(c["CredentialsValid"]).toMatch(/^False ServerCertificateUntrusted: The server's certificate is not trusted by the certificate-authority-data in Secret/);
    expect(c["CredentialsValid"]).toContain("`meridian cluster register east-1`");
    expect(c["Synced"]).toBe("False NotStarted: Watches start once the API server is reached with valid credentials.");
  });

  it("reports rejected credentials (401) as Unauthorized while Connected stays True", () => {
    const probe = { reachable: true as const, serverVersion: "v1.36.3", authFailure: { kind: "Unauthorized" as const, status: 401, message: "rejected" } };
    const c = conditions(clusterStatus({ ...healthy, probe }, undefined, now));
    expect(c["Connected"]).toMatch(/^True Connected/);
    expect(c["CredentialsValid"]).toBe(
      `False Unauthorized: ${server} rejected the credentials in Secret ${secret} (401): they are invalid, expired or revoked. Store new credentials in Secret ${secret} (\`meridian cluster register east-1\` does).`,
    );
    expect(c["PermissionsVerified"]).toMatch(/^Unknown NotChecked/);
  });

  it("reports a bad Secret with the kubeconfig problem as reason, and says so when older credentials still serve", () => {
    const credentials = { state: "invalid" as const, reason: "NotBase64", message: 'Kubeconfig in Secret meridian-system/x, key "kubeconfig": the value is not base64; store a valid kubeconfig there' };
    const fresh = conditions(clusterStatus({ ...healthy, credentials, probe: undefined, access: undefined, watches: { phase: "NotStarted" } }, undefined, now));
    expect(fresh["CredentialsValid"]).toBe('False NotBase64: Kubeconfig in Secret meridian-system/x, key "kubeconfig": the value is not base64; store a valid kubeconfig there.');
    expect(fresh["Connected"]).toBe("Unknown NoCredentials: No usable credentials (see CredentialsValid): nothing is watched.");
    const serving = conditions(clusterStatus({ ...healthy, credentials, previousCredentialsServing: true }, undefined, now));
    expect(serving["CredentialsValid"]).toMatch(/Watches keep running with the previous credentials meanwhile\.$/);
    expect(serving["Connected"]).toMatch(/^True Connected/);
  });

  it("names missing permissions and where to grant them, and mentions excess ones", () => {
    const missing = [
      { verb: "list", group: "discovery.k8s.io", resource: "endpointslices" },
      { verb: "watch", group: "discovery.k8s.io", resource: "endpointslices" },
    ];
    const c = conditions(clusterStatus({ ...healthy, access: { ok: true, rollouts: false, checked: 39, missing, excess: [] } }, undefined, now));
    expect(c["PermissionsVerified"]).toBe(
      "False PermissionDenied: Missing: list, watch endpointslices.discovery.k8s.io (cluster-wide). Grant them: ClusterRole meridian-member-read (reads) and Role meridian-member-write in meridian-sync (writes); `meridian cluster register east-1` applies both.",
    );
    const excess = [{ verb: "*", group: "*", resource: "*" }];
    const admin = conditions(clusterStatus({ ...healthy, access: { ok: true, rollouts: false, checked: 39, missing: [], excess } }, undefined, now));
    expect(admin["PermissionsVerified"]).toMatch(/^True Verified: .*It also holds more than it needs: every verb on every resource \(cluster-wide\)\.$/);
  });

  it("reports a failed permission review as CheckFailed, and syncing watches as Syncing", () => {
    const access = { ok: false as const, failure: { kind: "Http" as const, status: 500, message: "cannot review permissions (HTTP 500)" } };
    const c = conditions(clusterStatus({ ...healthy, access, watches: { phase: "Syncing", pending: ["services (cluster-wide)", "namespaces"] } }, undefined, now));
    expect(c["PermissionsVerified"]).toBe("Unknown CheckFailed: Could not review permissions: cannot review permissions (HTTP 500).");
    expect(c["Synced"]).toBe("False Syncing: Listing services (cluster-wide), namespaces.");
  });
});

describe("invalidClusterStatus", () => {
  it("names the field and why on every condition, and says the cluster is not watched", () => {
    const status = invalidClusterStatus([{ path: "spec.region", message: "Required value", layer: "schema" }], 1, undefined, now);
    expect(status.observedGeneration).toBe(1);
    expect(conditions(status)).toEqual({
      Connected: "Unknown InvalidSpec: Invalid MeshCluster: spec.region: Required value. Fix the MeshCluster; the cluster is not watched until it is valid.",
      CredentialsValid: "Unknown InvalidSpec: Invalid MeshCluster: spec.region: Required value. Fix the MeshCluster; the cluster is not watched until it is valid.",
      PermissionsVerified: "Unknown InvalidSpec: Invalid MeshCluster: spec.region: Required value. Fix the MeshCluster; the cluster is not watched until it is valid.",
      Synced: "False InvalidSpec: Invalid MeshCluster: spec.region: Required value. Fix the MeshCluster; the cluster is not watched until it is valid.",
    });
  });
});
