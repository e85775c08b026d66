import { describe, expect, it } from "vitest";

import { isNamespaceInScope, listedNamespaces, namespaceLabelSelector } from "./discovery-scope.js";

describe("isNamespaceInScope", () => {
  it("by default takes every namespace but the system ones and the sync namespace", () => {
    for (const name of ["kube-system", "kube-public", "kube-node-lease", "meridian-sync"]) {
      expect(isNamespaceInScope(undefined, { name }), name).toBe(false);
    }
    expect(isNamespaceInScope(undefined, { name: "default" })).toBe(true);
    expect(isNamespaceInScope({}, { name: "shop" })).toBe(true);
  });

  it("treats an empty list or an empty selector as not set", () => {
    expect(isNamespaceInScope({ namespaces: [] }, { name: "shop" })).toBe(true);
    expect(isNamespaceInScope({ namespaceSelector: {} }, { name: "shop" })).toBe(true);
    expect(isNamespaceInScope({ namespaceSelector: { matchLabels: {} } }, { name: "kube-system" })).toBe(false);
  });

  it("with a list, takes exactly the listed namespaces (a system namespace too, when listed)", () => {
    const discovery = { namespaces: ["shop", "kube-system"] };
    expect(isNamespaceInScope(discovery, { name: "shop" })).toBe(true);
    expect(isNamespaceInScope(discovery, { name: "kube-system" })).toBe(true);
    expect(isNamespaceInScope(discovery, { name: "default" })).toBe(false);
  });

  it("with a selector, takes the namespaces carrying every label", () => {
    const discovery = { namespaceSelector: { matchLabels: { mesh: "meridian", tier: "prod" } } };
    expect(isNamespaceInScope(discovery, { name: "shop", labels: { mesh: "meridian", tier: "prod", extra: "x" } })).toBe(true);
    expect(isNamespaceInScope(discovery, { name: "shop", labels: { mesh: "meridian", tier: "qa" } })).toBe(false);
    expect(isNamespaceInScope(discovery, { name: "shop" })).toBe(false);
  });

  it("never takes the sync namespace, even listed or selected, and honours a configured one", () => {
    expect(isNamespaceInScope({ namespaces: ["meridian-sync"] }, { name: "meridian-sync" })).toBe(false);
    expect(isNamespaceInScope({ namespaceSelector: { matchLabels: { a: "b" } } }, { name: "meridian-sync", labels: { a: "b" } })).toBe(false);
    expect(isNamespaceInScope(undefined, { name: "meridian-sync" }, "mesh-out")).toBe(true);
    expect(isNamespaceInScope(undefined, { name: "mesh-out" }, "mesh-out")).toBe(false);
  });

  it("requires both when both are set (the CRD forbids it; the narrower reading wins)", () => {
    const discovery = { namespaces: ["shop"], namespaceSelector: { matchLabels: { mesh: "on" } } };
    expect(isNamespaceInScope(discovery, { name: "shop", labels: { mesh: "on" } })).toBe(true);
    expect(isNamespaceInScope(discovery, { name: "shop" })).toBe(false);
    expect(isNamespaceInScope(discovery, { name: "cart", labels: { mesh: "on" } })).toBe(false);
  });
});

describe("watch helpers", () => {
  it("lists namespaces to watch one by one, sorted, unique, without the sync namespace", () => {
    expect(listedNamespaces({ namespaces: ["shop", "cart", "shop", "meridian-sync"] })).toEqual(["cart", "shop"]);
    expect(listedNamespaces({ namespaces: [] })).toBeUndefined();
    expect(listedNamespaces(undefined)).toBeUndefined();
  });

  it("renders the selector as a labelSelector string", () => {
    expect(namespaceLabelSelector({ namespaceSelector: { matchLabels: { tier: "prod", mesh: "on" } } })).toBe("mesh=on,tier=prod");
    expect(namespaceLabelSelector({ namespaceSelector: {} })).toBeUndefined();
  });
});
