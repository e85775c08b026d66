// Checks of the CRD YAML itself: names agree with group-version.ts, every version serves a status
// subresource and printer columns, schemas are structural and bounded (so the API server accepts the
// CEL rules' cost), and every CEL rule says why it failed.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { crdFiles, loadCrd } from "./fixtures/index.js";
import { GROUP, PLURALS, RESOURCES, VERSION, crdName, kindOf } from "./group-version.js";
import type { Plural } from "./group-version.js";
import { openApiSchema } from "./testing/crd-validator.js";
import { celRules } from "./testing/schema-walk.js";
import type { SchemaNode } from "./testing/schema-walk.js";

const ZOD_FILES: Record<Plural, string> = {
  meshclusters: "mesh-cluster.ts",
  servicedependencies: "service-dependency.ts",
  trafficpolicies: "traffic-policy.ts",
  failoverdrills: "failover-drill.ts",
};

interface Node extends SchemaNode {
  required?: string[];
  enum?: unknown[];
  maxLength?: number;
  maxItems?: number;
  maxProperties?: number;
  format?: string;
}

interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
}

interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  subresources?: { status?: object };
  additionalPrinterColumns?: PrinterColumn[];
}

interface Crd {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string; singular: string; shortNames: string[] };
    versions: CrdVersion[];
  };
}

/** Every schema node with its path, the root first. */
function nodes(schema: Node, path = ""): { path: string; node: Node }[] {
  const children = Object.entries(schema.properties ?? {}).flatMap(([k, sub]) => nodes(sub, `${path}.${k}`));
  const items = schema.items === undefined ? [] : nodes(schema.items, `${path}[]`);
  const additional = typeof schema.additionalProperties === "object" ? nodes(schema.additionalProperties, `${path}{}`) : [];
  return [{ path, node: schema }, ...children, ...items, ...additional];
}

/** The schema node a simple JSONPath (`.spec.a.b[*].c`, `.status.x[?(...)].y`) starts from. */
function columnRoot(schema: Node, jsonPath: string): Node | undefined {
  const fields = jsonPath.split(/[[*]/)[0]?.split(".").filter((s) => s !== "") ?? [];
  let node: Node | undefined = schema;
  for (const field of fields) node = node?.properties?.[field];
  return node;
}

describe.each(PLURALS)("%s CRD", (plural) => {
  const crd = loadCrd(plural) as unknown as Crd;
  const resource = RESOURCES[kindOf(plural)];
  const schema = openApiSchema(crd as unknown as Record<string, unknown>) as Node;
  const version = crd.spec.versions[0] as CrdVersion;

  it("is named as group-version.ts says", () => {
    expect(crd.apiVersion).toBe("apiextensions.k8s.io/v1");
    expect(crd.kind).toBe("CustomResourceDefinition");
    expect(crd.metadata.name).toBe(crdName(plural));
    expect(crd.spec.group).toBe(GROUP);
    expect(crd.spec.scope).toBe(resource.namespaced ? "Namespaced" : "Cluster");
    expect(crd.spec.names).toMatchObject({ kind: resource.kind, plural, singular: resource.singular, shortNames: [resource.shortName] });
  });

  it("serves and stores one version with a status subresource", () => {
    expect(crd.spec.versions).toHaveLength(1);
    expect(version).toMatchObject({ name: VERSION, served: true, storage: true, subresources: { status: {} } });
  });

  it("has printer columns that point at declared fields, and an Age column", () => {
    const columns = version.additionalPrinterColumns ?? [];
    expect(columns.length).toBeGreaterThanOrEqual(4);
    expect(columns.at(-1)).toEqual({ name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" });
    for (const column of columns.filter((c) => !c.jsonPath.startsWith(".metadata"))) {
      expect(columnRoot(schema, column.jsonPath), `${column.name}: ${column.jsonPath}`).toBeDefined();
    }
  });

  it("is structural: every node has a type, every object property list is declared", () => {
    for (const { path, node } of nodes(schema)) expect(node.type, `type of ${path || "root"}`).toBeDefined();
    expect(schema.required).toContain("spec");
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(["apiVersion", "kind", "metadata", "spec", "status"]);
  });

  it("bounds every string, list and map under spec and status (CEL cost budget)", () => {
    const bounded = nodes(schema).filter(({ path }) => path.startsWith(".spec") || path.startsWith(".status"));
    for (const { path, node } of bounded) {
      // CEL sees a date-time string as a timestamp, which has a fixed size.
      const fixedSize = node.enum ?? (node.format === "date-time" ? node.format : undefined);
      if (node.type === "string") expect(node.maxLength ?? fixedSize, `maxLength of ${path}`).toBeDefined();
      if (node.type === "array") expect(node.maxItems, `maxItems of ${path}`).toBeDefined();
      if (typeof node.additionalProperties === "object") expect(node.maxProperties, `maxProperties of ${path}`).toBeDefined();
    }
  });

  it("keys every list map by required fields, and gives every CEL rule a message", () => {
    for (const { path, node } of nodes(schema)) {
      for (const key of node["x-kubernetes-list-map-keys"] ?? []) expect((node.items as Node).required, `${path} key ${key}`).toContain(key);
      for (const rule of node["x-kubernetes-validations"] ?? []) expect(rule.message, `${path}: ${rule.rule}`).toBeTruthy();
    }
  });

  it("quotes every CEL rule, word for word, above its zod twin", () => {
    const source = readFileSync(new URL(`./${ZOD_FILES[plural]}`, import.meta.url), "utf8");
    for (const { rule } of celRules(schema)) expect(source).toContain(`// CEL: ${rule.rule}`);
  });

  it("declares observedGeneration and conditions (a list map keyed by type) in its status", () => {
    const status = schema.properties?.["status"] as Node;
    expect(status.properties?.["observedGeneration"]?.type).toBe("integer");
    expect(status.properties?.["conditions"]).toMatchObject({ "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"] });
  });
});

describe("crdFiles", () => {
  it("lists one absolute path per plural, named <plural>.<group>", () => {
    const files = crdFiles();
    expect(files.map((f) => f.plural)).toEqual([...PLURALS]);
    for (const file of files) expect(file.path).toMatch(new RegExp(`^/.*/crds/${GROUP}_${file.plural}\\.yaml$`));
  });
});
