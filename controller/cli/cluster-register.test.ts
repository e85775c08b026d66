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
        "  Member:       ServiceAccount meridian-system/meridian created, 1 unchanged",
        "  Home:         MeshCluster us-east updated, 1 unchanged",
        "",
      ].join("\n"),
    );
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
