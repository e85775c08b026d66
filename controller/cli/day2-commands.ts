// The day-2 commands' place in the command tree: `plan`, `diff` and `explain`, with help text and
// examples. run.ts calls addDayTwo; the commands live in plan-command.ts, diff-command.ts and
// explain-command.ts.
import type { Command } from "commander";

import type { CliIo } from "./cli-io.js";
import { runDiff } from "./diff-command.js";
import { runExplain } from "./explain-command.js";
import { runPlan } from "./plan-command.js";

export interface DayTwoDeps {
  readonly io: CliIo;
  readonly run: (code: Promise<number>) => Promise<void>;
  /** Adds --home-kubeconfig, --home-context and -o. */
  readonly withHome: (command: Command) => Command;
  readonly exitCodesHelp: string;
}

const PLAN_EXAMPLES = `
Examples:
  # what changes if checkout also calls ledger?
  meridian plan -f checkout-dependency.yaml
  # several files, or a stream on standard input
  kubectl kustomize overlays/prod | meridian plan -f -
  # what deleting a dependency would take away; exit 2 when anything would change (for CI)
  meridian plan -f checkout-dependency.yaml --delete --detailed-exitcode

Namespaced manifests without metadata.namespace are planned in namespace default. A FailoverDrill is
planned as if in effect (its target evacuated). A new MeshCluster has no workloads until it syncs.
Nothing is written anywhere: the fleet is read as the controller reads it, and planned in memory.
`;

const DIFF_EXAMPLES = `
Examples:
  meridian diff
  meridian diff --cluster us-east-1a --identity payments -o yaml
  # in a script or a health check: exit 1 when any member differs
  meridian diff --exit-code

States: missing (desired, not in the cluster), drifted (fields, as "found → desired"), extra (Meridian's
label, no longer desired), conflict (the name is taken by an object Meridian does not own). Only
LIST and GET requests are made.
`;

const EXPLAIN_EXAMPLES = `
Examples:
  meridian explain payments --from us-east-1a
  meridian explain payments --from us-east-1a --env prod --namespace checkout
  meridian explain payments --from us-east-1a -o json | jq '.hosts[].endpoints'

Answers, for <env>.<identity>.<suffix> seen from the cluster: whether it is placed there and why (the
identity runs there, or which ServiceDependency whose source runs there names it), every endpoint with
its locality and ready count, each workload left out and why, the failover order a client there gets,
drills in effect, and whether the objects in the cluster are in sync. Read-only.
`;

export function addDayTwo(program: Command, deps: DayTwoDeps): void {
  const { io, run, withHome } = deps;
  withHome(program.command("plan").description("show what applying (or --delete-ing) ServiceDependency, TrafficPolicy, FailoverDrill or MeshCluster manifests would change in every member cluster"))
    .option("-f, --filename <file...>", "manifest files (multi-document YAML); - reads standard input")
    .option("--delete", "plan the deletion of the given objects instead")
    .option("--detailed-exitcode", "exit 2 when anything would change (0 when nothing would)")
    .addHelpText("after", `${PLAN_EXAMPLES}${deps.exitCodesHelp}`)
    .action((options: Record<string, unknown>) => run(runPlan(options, io)));
  withHome(program.command("diff").description("compare every member's ServiceEntries and DestinationRules with what Meridian wants there: missing, drifted, extra, conflicts"))
    .option("--cluster <cluster>", "only this member cluster")
    .option("--identity <identity>", "only this identity's objects")
    .option("--exit-code", "exit 1 when anything differs")
    .addHelpText("after", `${DIFF_EXAMPLES}${deps.exitCodesHelp}`)
    .action((options: Record<string, unknown>) => run(runDiff(options, io)));
  withHome(program.command("explain").description("explain where traffic for an identity goes from one cluster, and why").argument("<identity>", "the identity, e.g. payments"))
    .option("--from <cluster>", "the member cluster the client runs in (required)")
    .option("--env <env>", "the identity's env (default: every env it runs in)")
    .option("--namespace <namespace>", "the client's namespace: also say whether it sees the host (exportTo)")
    .addHelpText("after", `${EXPLAIN_EXAMPLES}${deps.exitCodesHelp}`)
    .action((identity: unknown, options: Record<string, unknown>) => run(runExplain(identity, options, io)));
}
