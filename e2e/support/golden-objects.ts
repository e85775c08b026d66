// The planner's golden expected objects (controller/core/golden/<case>/expected/<cluster>.yaml),
// as Kubernetes objects, for the tests that hand them to Istio's validation.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../harness/repo-paths.js";

const GOLDEN_DIR = join(repoRoot, "controller", "core", "golden");

export interface GoldenObject {
  /** e.g. `basic-local-remote/expected/c1.yaml` */
  file: string;
  object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec: unknown };
}

type ExpectedFile = Record<string, GoldenObject["object"][] | undefined>;

function objectsOf(file: string, path: string): GoldenObject[] {
  const content = (parse(readFileSync(path, "utf8")) ?? {}) as ExpectedFile;
  return Object.values(content).flatMap((list) => (list ?? []).map((object) => ({ file, object })));
}

/** Every object of every expected/<cluster>.yaml (problems.yaml holds problems, not objects). */
export function goldenExpectedObjects(): GoldenObject[] {
  const cases = readdirSync(GOLDEN_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  return cases.sort().flatMap((goldenCase) => {
    const dir = join(GOLDEN_DIR, goldenCase, "expected");
    const files = readdirSync(dir).filter((name) => name !== "problems.yaml" && name.endsWith(".yaml")).sort();
    return files.flatMap((name) => objectsOf(`${goldenCase}/expected/${name}`, join(dir, name)));
  });
}
