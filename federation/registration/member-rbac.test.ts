import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";

import { requiredAccess } from "./access-requirements.js";
import { memberManifests, memberNamespaces, memberRbacObjects } from "./member-rbac.js";
import { MANAGED_BY_LABEL } from "./names.js";

const yamlFile = fileURLToPath(new URL("../../deploy/member-rbac.yaml", import.meta.url));

describe("member RBAC", () => {
  it("deploy/member-rbac.yaml holds exactly the manifests register applies", () => {
    const documents = parseAllDocuments(readFileSync(yamlFile, "utf8")).map((document) => document.toJS() as unknown);
    expect(documents).toEqual(memberManifests());
  });

  it("labels every object Meridian owns, and no namespace", () => {
    for (const object of memberRbacObjects()) expect(object.metadata.labels?.[MANAGED_BY_LABEL]).toBe("meridian");
    for (const namespace of memberNamespaces()) expect(namespace.metadata.labels).toBeUndefined();
  });

  it("grants exactly the permissions that are verified: cluster-wide reads, writes only in meridian-sync", () => {
    const [, clusterRole, , role] = memberRbacObjects();
    const granted = (object: typeof clusterRole, namespace?: string) =>
      ((object?.["rules"] ?? []) as { apiGroups: string[]; resources: string[]; verbs: string[] }[]).flatMap((rule) =>
        rule.resources.flatMap((resource) => rule.verbs.map((verb) => ({ verb, group: rule.apiGroups[0], resource, namespace }))),
      );
    const fromRbac = [...granted(clusterRole), ...granted(role, "meridian-sync")];
    const verified = requiredAccess().map(({ verb, group, resource, namespace }) => ({ verb, group, resource, namespace }));
    expect(fromRbac).toEqual(verified);
    expect(role?.metadata.namespace).toBe("meridian-sync");
  });

  it("binds both roles to the meridian ServiceAccount in meridian-system", () => {
    const bindings = memberRbacObjects().filter((object) => object.kind.endsWith("Binding"));
    expect(bindings.map((binding) => binding["subjects"])).toEqual([
      [{ kind: "ServiceAccount", name: "meridian", namespace: "meridian-system" }],
      [{ kind: "ServiceAccount", name: "meridian", namespace: "meridian-system" }],
    ]);
  });
});
