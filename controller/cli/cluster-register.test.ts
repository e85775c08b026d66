import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";

import type { RegisterResult } from "../../federation/registration/register.js";
import { changesLine, renderRegisterResult } from "./cluster-register.js";

const result: RegisterResult = {
  cluster: "us-east",
  server: "https://10.0.0.1:6443",
  serverVersion: "v1.36.3",
  dryRun: false,
  credentials: { source: "service-account-token", token: "reused", expires: "2027-01-01T00:00:00Z" },
  access: { checked: 39, excess: "", notChecked: "get, list, watch rollouts.argoproj.io (cluster-wide)" },
  eastWestGateway: { found: true, gateway: "istio-system/cross-network-gateway" },
  member: [
    { kind: "Namespace", name: "meridian-sync", action: "unchanged" },
    { kind: "ServiceAccount", name: "meridian", namespace: "meridian-system", action: "created" },
  ],
  home: [
    { kind: "Secret", name: "meridian-member-us-east", namespace: "meridian-system", action: "unchanged" },
    { kind: "MeshCluster", name: "us-east", action: "updated" },
  ],
  warnings: [],
  manifests: { member: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "meridian-sync" } }], home: [{ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { kubeconfig: "<redacted: 10 bytes>" } }] },
};

describe("register output", () => {
  it("summarises for people", () => {
    expect(renderRegisterResult(result, "table")).toBe(
      [
        "Registered cluster us-east: https://10.0.0.1:6443 (Kubernetes v1.36.3)",
        "  Credentials:  ServiceAccount meridian-system/meridian token (reused, expires 2027-01-01T00:00:00Z)",
        "  Permissions:  39 access reviews: every required permission granted, nothing in excess; not checked, kind not served: get, list, watch rollouts.argoproj.io (cluster-wide)",
        "  Gateway:      istio-system/cross-network-gateway passes Meridian's hosts through (EastWestGateway=True)",
        "  Member:       ServiceAccount meridian-system/meridian created, 1 unchanged",
        "  Home:         MeshCluster us-east updated, 1 unchanged",
        "",
      ].join("\n"),
    );
  });

  it("says when the east-west Gateway is missing or could not be checked", () => {
    const missing = renderRegisterResult({ ...result, eastWestGateway: { found: false, reason: "GatewayMissing", detail: "the cluster has no Gateway" } }, "table");
    expect(missing).toContain("  Gateway:      MISSING: the cluster has no Gateway (see the warning)\n");
    const unchecked = renderRegisterResult({ ...result, eastWestGateway: { found: false, reason: "NotChecked", detail: "listing failed: 403" } }, "table");
    expect(unchecked).toContain("  Gateway:      not checked: listing failed: 403 (see the warning)\n");
  });

  it("JSON without manifests; a dry run's YAML is the objects, one document each", () => {
    expect(JSON.parse(renderRegisterResult(result, "json"))).not.toHaveProperty("manifests");
    const dry = renderRegisterResult({ ...result, dryRun: true }, "yaml");
    expect(parseAllDocuments(dry).map((document) => (document.toJS() as { kind: string }).kind)).toEqual(["Namespace", "Secret"]);
  });

  it("says what would change in a dry run", () => {
    expect(changesLine([{ kind: "MeshCluster", name: "x", action: "created" }], true)).toBe("MeshCluster x would be created");
    expect(changesLine([{ kind: "MeshCluster", name: "x", action: "unchanged" }], false)).toBe("all 1 unchanged");
  });
});
