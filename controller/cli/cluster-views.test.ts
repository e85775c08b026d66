import { describe, expect, it } from "vitest";

import { clusterSummary, renderClusterStatus, renderClusterTable } from "./cluster-views.js";

const now = new Date("2026-05-01T12:00:00Z");

const registered = {
  apiVersion: "meridian.dev/v1alpha1",
  kind: "MeshCluster",
  metadata: { name: "us-east", creationTimestamp: "2026-05-01T11:00:00Z", annotations: { "meridian.dev/server": "https://10.0.0.1:6443" } },
  spec: { region: "us-east-1", kubeconfigSecretRef: { name: "meridian-member-us-east", namespace: "meridian-system", key: "kubeconfig" } },
};

const reporting = {
  ...registered,
  metadata: { ...registered.metadata, name: "eu-west", creationTimestamp: new Date("2026-04-01T12:00:00Z") },
  spec: { ...registered.spec, region: "eu-west-1", zone: "eu-west-1a", network: "net-eu", gateway: { address: "gw.eu", port: 15443 } },
  status: {
    serverVersion: "v1.36.3",
    workloadCount: 12,
    lastSyncTime: "2026-05-01T11:59:30Z",
    conditions: [
      { type: "Connected", status: "True", reason: "Connected", message: "watching 4 namespaces", lastTransitionTime: "2026-05-01T11:00:00Z" },
      { type: "Synced", status: "False", reason: "CacheSyncing", message: "", lastTransitionTime: "2026-05-01T11:58:00Z" },
    ],
  },
};

describe("cluster views", () => {
  it("lists clusters; conditions not reported yet read Unknown", () => {
    expect(renderClusterTable([reporting, registered], now)).toBe(
      [
        "NAME      REGION      ZONE         NETWORK   CONNECTED   SYNCED    WORKLOADS   AGE",
        "eu-west   eu-west-1   eu-west-1a   net-eu    True        False     12          30d",
        "us-east   us-east-1   -            -         Unknown     Unknown   -           60m",
      ].join("\n") + "\n",
    );
  });

  it("summarises a cluster for -o json", () => {
    expect(clusterSummary(registered)).toEqual({
      name: "us-east",
      region: "us-east-1",
      zone: null,
      network: null,
      connected: "Unknown",
      synced: "Unknown",
      workloads: null,
      server: "https://10.0.0.1:6443",
      created: "2026-05-01T11:00:00Z",
    });
  });

  it("shows a cluster's registration and each condition with status, reason, age and message", () => {
    const text = renderClusterStatus(reporting, now);
    expect(text).toContain("Server version: v1.36.3");
    expect(text).toContain("Gateway:        gw.eu:15443");
    expect(text).toContain("Last sync:      2026-05-01T11:59:30Z (30s ago)");
    expect(text).toContain("Credentials:    Secret meridian-system/meridian-member-us-east, key kubeconfig");
    expect(text).toContain("  TYPE        STATUS   REASON         AGE   MESSAGE\n  Connected   True     Connected      60m   watching 4 namespaces\n  Synced      False    CacheSyncing   2m");
  });

  it("says when no condition has been reported", () => {
    const text = renderClusterStatus(registered, now);
    expect(text).toContain("Network:        us-east (the cluster's name)");
    expect(text).toContain("Last sync:      never");
    expect(text).toContain("none reported yet");
  });
});
