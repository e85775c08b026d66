import { describe, expect, it } from "vitest";

import { clusterName } from "../graph-model.js";
import { registrationConflict, sameServerClusters, sameServerConflict } from "./conflicts.js";

const east = clusterName("east");
const meshCluster = (server?: string, name = "east") => ({
  apiVersion: "meridian.dev/v1alpha1",
  kind: "MeshCluster",
  metadata: { name, ...(server === undefined ? {} : { annotations: { "meridian.dev/server": server } }) },
});
const secret = (labelled: boolean) => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "meridian-member-east", ...(labelled ? { labels: { "app.kubernetes.io/managed-by": "meridian" } } : {}) },
});

describe("registration conflicts", () => {
  it("none for a new name or the same server (trailing slash and case ignored)", () => {
    expect(registrationConflict({}, east, "https://a:6443")).toBeUndefined();
    expect(registrationConflict({ meshCluster: meshCluster("https://A:6443/"), secret: secret(true) }, east, "https://a:6443")).toBeUndefined();
  });

  it("a name registered for another server", () => {
    expect(registrationConflict({ meshCluster: meshCluster("https://a:6443") }, east, "https://b:6443")).toBe(
      'cluster name "east" is already registered for https://a:6443 (this kubeconfig points at https://b:6443): choose another name, or pass --force to re-point it',
    );
  });

  it("a MeshCluster or Secret that register did not create", () => {
    expect(registrationConflict({ meshCluster: meshCluster() }, east, "https://a:6443")).toContain("that register did not create");
    expect(registrationConflict({ secret: secret(false) }, east, "https://a:6443")).toContain("Secret meridian-system/meridian-member-east exists and is not Meridian's");
  });

  it("finds other names registered for the same server", () => {
    const all = [meshCluster("https://a:6443", "east"), meshCluster("https://a:6443/", "zeta"), meshCluster("https://a:6443", "alpha"), meshCluster("https://b:6443", "b")];
    expect(sameServerClusters(all, east, "https://a:6443")).toEqual(["alpha", "zeta"]);
  });

  it("refuses the same server under another name, naming it and the way out", () => {
    const all = [meshCluster("https://a:6443/", "zeta"), meshCluster("https://b:6443", "b")];
    expect(sameServerConflict(all, east, "https://A:6443")).toBe(
      'https://A:6443 is already registered as "zeta": under two names its ServiceEntries would get two different desired states and its endpoints would be counted twice; use that name, remove it first (meridian cluster remove zeta), or pass --force to register it again anyway',
    );
    expect(sameServerConflict([meshCluster("https://a:6443", "east")], east, "https://a:6443")).toBeUndefined();
  });
});
