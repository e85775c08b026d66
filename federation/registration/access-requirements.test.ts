import { describe, expect, it } from "vitest";

import {
  applicableRequired,
  describeChecks,
  evaluateAccess,
  excessPermissionMessage,
  forbiddenAccess,
  missingPermissionMessage,
  requiredAccess,
} from "./access-requirements.js";
import type { AccessCheck } from "./access-requirements.js";

const key = (check: AccessCheck) => `${check.verb} ${check.group}/${check.resource}/${check.subresource ?? ""} ${check.namespace ?? "*"}`;

describe("access requirements", () => {
  it("requires reads of services, namespaces, endpointslices, deployments and rollouts cluster-wide", () => {
    const reads = requiredAccess().filter((check) => check.namespace === undefined);
    expect(new Set(reads.map((check) => `${check.group}/${check.resource}`))).toEqual(
      new Set(["/services", "/namespaces", "discovery.k8s.io/endpointslices", "apps/deployments", "argoproj.io/rollouts"]),
    );
    expect(new Set(reads.map((check) => check.verb))).toEqual(new Set(["get", "list", "watch"]));
  });

  it("requires writes of ServiceEntries and DestinationRules in meridian-sync only", () => {
    const writes = requiredAccess().filter((check) => check.namespace !== undefined);
    expect(new Set(writes.map((check) => check.namespace))).toEqual(new Set(["meridian-sync"]));
    expect(writes).toHaveLength(14);
    expect(writes.every((check) => check.group === "networking.istio.io")).toBe(true);
  });

  it("checks Rollouts only when the kind is served", () => {
    expect(applicableRequired(() => false).some((check) => check.resource === "rollouts")).toBe(false);
    expect(applicableRequired(() => true).filter((check) => check.resource === "rollouts")).toHaveLength(3);
  });

  it("forbids nothing that is required", () => {
    const required = new Set(requiredAccess().map(key));
    expect(forbiddenAccess().filter((check) => required.has(key(check)))).toEqual([]);
    expect(forbiddenAccess().map((check) => `${check.verb} ${check.resource}`)).toEqual(
      expect.arrayContaining(["get secrets", "create services", "create serviceentries", "create configmaps"]),
    );
  });

  it("names one missing permission with its group and scope", () => {
    const check: AccessCheck = { verb: "list", group: "discovery.k8s.io", resource: "endpointslices" };
    expect(missingPermissionMessage([check])).toBe("missing permission: list endpointslices.discovery.k8s.io (cluster-wide)");
  });

  it("groups verbs per resource and scope", () => {
    const checks: AccessCheck[] = [
      { verb: "get", group: "", resource: "namespaces" },
      { verb: "list", group: "", resource: "namespaces" },
      { verb: "create", group: "networking.istio.io", resource: "serviceentries", namespace: "meridian-sync" },
    ];
    expect(missingPermissionMessage(checks)).toBe(
      "missing permissions: get, list namespaces (cluster-wide); create serviceentries.networking.istio.io in namespace meridian-sync",
    );
  });

  it("describes subresources and wildcards", () => {
    expect(describeChecks([{ verb: "create", group: "", resource: "pods", subresource: "exec", namespace: "default" }])).toBe("create pods/exec in namespace default");
    expect(excessPermissionMessage([{ verb: "*", group: "*", resource: "*" }])).toBe(
      "excess permission (Meridian needs less): every verb on every resource (cluster-wide)",
    );
  });

  it("evaluates verdicts into missing and excess; a granted wildcard stands for all the excess", () => {
    const required = requiredAccess().map((check, i) => ({ check, allowed: i !== 0 }));
    const none = forbiddenAccess().map((check) => ({ check, allowed: false }));
    expect(evaluateAccess(required, none)).toEqual({ missing: [requiredAccess()[0]], excess: [] });
    const all = forbiddenAccess().map((check) => ({ check, allowed: true }));
    expect(evaluateAccess(required, all).excess).toEqual([{ verb: "*", group: "*", resource: "*" }]);
    const some = forbiddenAccess().map((check) => ({ check, allowed: check.resource === "secrets" }));
    expect(evaluateAccess(required, some).excess.map((check) => check.resource)).toEqual(["secrets", "secrets"]);
  });
});
