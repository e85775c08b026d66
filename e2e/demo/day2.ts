// The demo's last step, the day-2 questions through the CLI: `meridian explain payments --from
// us-east-1a` (checkout, payments' caller, runs there) and `meridian plan` of one dependency
// change (payments would call checkout back, so checkout's host goes where payments runs), written
// to a file in the output directory. Both only read.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";

import { API_VERSION } from "../../crds/index.js";
import { meridian } from "../support/meridian-cli.js";
import { DemoError } from "./demo-error.js";
import type { RunningCluster } from "./fleet.js";
import type { Scenario } from "./scenario.js";

export const DEMO_EXPLAIN = { identity: "payments", from: "us-east-1a" } as const;

export interface DemoDayTwo {
  readonly explain: string;
  readonly planFile: string;
  readonly plan: string;
}

export async function runDemoDayTwo(scenario: Scenario, home: RunningCluster, outDir: string): Promise<DemoDayTwo> {
  const homeFlags = ["--home-kubeconfig", home.plane.kubeconfig];
  const explain = await cli(["explain", DEMO_EXPLAIN.identity, "--from", DEMO_EXPLAIN.from, ...homeFlags]);
  const planFile = join(outDir, "payments-calls-checkout.yaml");
  const dependency = { apiVersion: API_VERSION, kind: "ServiceDependency", metadata: { name: "payments", namespace: scenario.namespace }, spec: { source: { identity: "payments" }, destinations: [{ identity: "checkout" }] } };
  await writeFile(planFile, stringify(dependency));
  const plan = await cli(["plan", "-f", planFile, ...homeFlags]);
  return { explain, planFile, plan };
}

async function cli(argv: readonly string[]): Promise<string> {
  const run = await meridian(...argv);
  if (run.code !== 0) throw new DemoError(`meridian ${argv[0] ?? ""} failed (exit ${run.code}): ${run.stderr.trim()}`);
  return run.stdout;
}
