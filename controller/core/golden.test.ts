// Golden cases: golden/<case>/input.yaml → golden/<case>/expected/<cluster>.yaml + problems.yaml.
// The expected files are the specification of routing behaviour; read them, do not just accept them.
// Regenerate: UPDATE_GOLDEN=1 npx vitest run --project unit golden
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { Dependency, Drill, MemberCluster, ObjectRef, PlanInput, TrafficPolicy, Workload } from "./model.js";
import { plan } from "./plan.js";

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), "golden");
const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

/** How plan output is written: no anchors for shared objects, no line folding. */
const toYaml = (value: unknown): string => stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 });

type Raw = Record<string, unknown>;

const withKind = (kind: string) => (raw: Raw): Raw => ({ ...raw, ref: { kind, ...(raw["ref"] as Partial<ObjectRef>) } });

/** input.yaml is PlanInput with defaults: options, empty lists, kinds of refs, zone/network "", policy fields. */
function loadInput(file: string): PlanInput {
  const raw = (parse(readFileSync(file, "utf8")) ?? {}) as Raw;
  const list = (key: string): Raw[] => (raw[key] as Raw[] | undefined) ?? [];
  return {
    options: { hostSuffix: "global", syncNamespace: "meridian-sync", exportToLimit: 8, ...(raw["options"] as Raw | undefined) },
    clusters: list("clusters").map((c) => ({ zone: "", network: "", ...c }) as unknown as MemberCluster),
    workloads: list("workloads") as unknown as Workload[],
    dependencies: list("dependencies").map(withKind("ServiceDependency")) as unknown as Dependency[],
    policies: list("policies").map(withKind("TrafficPolicy"))
      .map((p) => ({ createdAt: "2026-01-01T00:00:00Z", mode: "Topology", regions: [], weights: [], ...p }) as unknown as TrafficPolicy),
    drills: list("drills").map(withKind("FailoverDrill")) as unknown as Drill[],
    ...(raw["pendingClusters"] === undefined ? {} : { pendingClusters: raw["pendingClusters"] as PlanInput["pendingClusters"] }),
  };
}

/** Every file of expected/: one per member cluster and problems.yaml. */
function render(input: PlanInput): Map<string, string> {
  const result = plan(input);
  const files = new Map<string, string>();
  for (const c of result.clusters) {
    files.set(`${c.cluster}.yaml`, toYaml({ serviceEntries: c.serviceEntries, destinationRules: c.destinationRules }));
  }
  files.set("problems.yaml", toYaml(result.problems));
  return files;
}

const cases = readdirSync(GOLDEN_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe("golden", () => {
  it("has cases", () => expect(cases.length).toBeGreaterThan(0));

  for (const name of cases) {
    it(name, () => {
      const dir = join(GOLDEN_DIR, name);
      const expectedDir = join(dir, "expected");
      const files = render(loadInput(join(dir, "input.yaml")));
      if (UPDATE) {
        rmSync(expectedDir, { recursive: true, force: true });
        mkdirSync(expectedDir, { recursive: true });
        for (const [file, text] of files) writeFileSync(join(expectedDir, file), text);
      }
      expect(readdirSync(expectedDir).sort()).toEqual([...files.keys()].sort());
      for (const [file, text] of files) {
        expect(text, `${name}/expected/${file}`).toBe(readFileSync(join(expectedDir, file), "utf8"));
      }
    });
  }
});
