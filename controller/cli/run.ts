// The `meridian` command line, callable in-process: runCli(argv, io) resolves to the exit code.
// Commander parses; zod validates (cluster-flags.ts); failures print one line and map to EXIT codes.

import { Argument, Command, CommanderError } from "commander";

import type { CliIo } from "./cli-io.js";
import { runList, runStatus } from "./cluster-list.js";
import { runRegister } from "./cluster-register.js";
import { runRemove } from "./cluster-remove.js";
import { runController } from "./controller-command.js";
import { runPolicyCheck } from "./policy-check.js";
import { runDrillPlan } from "./drill-plan.js";
import { runDrillStart } from "./drill-start.js";
import { runDrillAbort, runDrillReport, runDrillStatus } from "./drill-show.js";
import { addDayTwo } from "./day2-commands.js";
import { controllerOptions } from "../config/index.js";
import { SHELLS, commandSpec, completionScript, type Shell } from "./completion.js";
import { EXIT, errorLine, exitCodeOf } from "./exit-codes.js";

type Run = (code: Promise<number>) => Promise<void>;

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  runtime failure (API error, object not found)
  2  usage: bad flags, unreadable kubeconfig, unknown context
  3  cannot reach a cluster (connection, DNS, timeout, TLS verification)
  4  credentials rejected (401) or missing permissions
  5  conflict: the name is registered for another server, or an object is not Meridian's (--force);
     drill start: the drill exists; drill abort: the drill already ended
  6  policy check: at least one TrafficPolicy cannot work as written; drill plan: preflight refuses the drill;
     drill status / start --wait: the drill ended Refused or Failed; plan: a new problem would appear
  diff --exit-code: 1 when anything differs; plan --detailed-exitcode: 2 when anything would change`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const run: Run = async (code) => {
    exitCode = await code;
  };
  const program = buildProgram(io, run);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.stderr.write(`${errorLine(err)}\n`);
    return exitCodeOf(err);
  }
}

function buildProgram(io: CliIo, run: Run): Command {
  const program = new Command("meridian")
    .description("Control plane for multi-cluster, multi-region Istio meshes")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // One line: commander's message and where to look.
      outputError: (text, write) => write(`${text.trimEnd()} (see --help)\n`),
    })
    .exitOverride()
    .version(io.version ?? "meridian (version unknown)", "-V, --version", "print Meridian's version and the Node.js it runs on")
    .addHelpText("after", EXIT_CODES_HELP);
  const cluster = program.command("cluster").description("register, list, inspect and remove member clusters").addHelpText("after", EXIT_CODES_HELP);
  // Subcommands inherit neither exitOverride nor output settings unless copied.
  cluster.copyInheritedSettings(program);
  addRegister(cluster, io, run);
  addList(cluster, io, run);
  addStatus(cluster, io, run);
  addRemove(cluster, io, run);
  addPolicy(program, io, run);
  addDrill(program, io, run);
  addDayTwo(program, { io, run, withHome, exitCodesHelp: EXIT_CODES_HELP });
  addController(program, io, run);
  addCompletion(program, io, run);
  return program;
}

function addCompletion(program: Command, io: CliIo, run: Run): void {
  program
    .command("completion")
    .description("print a shell completion script: source <(meridian completion bash), or zsh")
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS))
    .action((shell: Shell) => {
      io.stdout.write(completionScript(commandSpec(program), shell as Shell));
      return run(Promise.resolve(EXIT.ok));
    });
}

function withHome(command: Command): Command {
  return command
    .option("--home-kubeconfig <file>", "kubeconfig of the home cluster (default: $KUBECONFIG, else ~/.kube/config)")
    .option("--home-context <context>", "context in the home kubeconfig (default: its current context)")
    .option("-o, --output <format>", "table, json or yaml", undefined);
}

function addRegister(cluster: Command, io: CliIo, run: Run): void {
  withHome(
    cluster
      .command("register")
      .description("register a member cluster: create a least-privilege ServiceAccount there, verify it, store its credentials and a MeshCluster in the home cluster")
      .argument("<name>", "the cluster's name (a DNS-1123 label; also its topology.istio.io/cluster)")
      .option("--kubeconfig <file>", "kubeconfig with admin access to the member cluster (required)")
      .option("--context <context>", "context in that kubeconfig (default: its current context)")
      .option("--region <region>", "the member's region, e.g. us-east-1 (required)")
      .option("--zone <zone>", "default zone for endpoints that carry none")
      .option("--network <network>", "Istio network (default: the cluster's name)")
      .option("--gateway-address <address>", "east-west gateway address (IP or DNS name)")
      .option("--gateway-service <namespace/name>", "east-west gateway Service whose load-balancer address is used")
      .option("--gateway-port <port>", "east-west gateway port (default 15443)")
      .option("--discovery-namespaces <a,b>", "watch only these namespaces")
      .option("--discovery-selector <k=v,…>", "watch only namespaces with these labels")
      .option("--use-given-credentials", "store the given kubeconfig's context instead of creating a ServiceAccount token")
      .option("--rotate-token", "request a new token even if the stored one is still valid")
      .option("--strict", "fail (exit 4) when the credentials can do more than Meridian needs, instead of warning")
      .option("--force", "take over a name registered for another server, or objects register did not create")
      .option("--dry-run", "print what would be created in both clusters; write nothing"),
  ).action((name: unknown, options: Record<string, unknown>) => run(runRegister(name, options, io)));
}

function addList(cluster: Command, io: CliIo, run: Run): void {
  withHome(cluster.command("list").description("list registered clusters and their state")).action((options: Record<string, unknown>) =>
    run(runList(options, io)),
  );
}

function addStatus(cluster: Command, io: CliIo, run: Run): void {
  withHome(cluster.command("status").description("show one registered cluster: its registration and every condition").argument("<name>")).action(
    (name: unknown, options: Record<string, unknown>) => run(runStatus(name, options, io)),
  );
}

function addRemove(cluster: Command, io: CliIo, run: Run): void {
  withHome(
    cluster
      .command("remove")
      .description("remove a registration from the home cluster; with --purge also what Meridian created in the member")
      .argument("<name>")
      .option("--purge", "also delete, in the member, Meridian's labelled ServiceEntries and DestinationRules and its ServiceAccount and RBAC")
      .option("--kubeconfig <file>", "kubeconfig with admin access to the member (with --purge)")
      .option("--context <context>", "context in that kubeconfig (with --purge)")
      .option("--force", "purge even when --kubeconfig points at another server than the one registered"),
  ).action((name: unknown, options: Record<string, unknown>) => run(runRemove(name, options, io)));
}

function addController(program: Command, io: CliIo, run: Run): void {
  const command = program
    .command("controller")
    .description("run the controller: watch the registered clusters and write ServiceEntries and DestinationRules into each (until SIGINT/SIGTERM)")
    .addHelpText("after", "\nEvery setting is a flag or an environment variable (the flag wins); a bad value stops the controller with exit code 2.\n");
  command.copyInheritedSettings(program);
  controllerOptions(command).action((options: Record<string, unknown>) => run(runController(options, io)));
}

function addPolicy(program: Command, io: CliIo, run: Run): void {
  const policy = program.command("policy").description("check TrafficPolicies against the registered clusters").addHelpText("after", EXIT_CODES_HELP);
  policy.copyInheritedSettings(program);
  withHome(
    policy
      .command("check")
      .description("report each TrafficPolicy that cannot work as written: unknown regions, weights or failover regions without endpoints, an identity in one region only, conflicts"),
  ).action((options: Record<string, unknown>) => run(runPolicyCheck(options, io)));
}

function addDrill(program: Command, io: CliIo, run: Run): void {
  const drill = program.command("drill").description("plan, run, follow, abort and report failover drills").addHelpText("after", EXIT_CODES_HELP);
  drill.copyInheritedSettings(program);
  withTarget(drill.command("plan").description("show, per affected identity and cluster, the endpoints now and during a drill, and the preflight verdict")).action(
    (options: Record<string, unknown>) => run(runDrillPlan(options, io)),
  );
  withTarget(drill.command("start").description("create a FailoverDrill: the controller evacuates the target, holds for the duration, restores and verifies each step"))
    .option("--force", "run the drill even if preflight refuses it (recorded in the report)")
    .option("--plan-only", "record the preflight verdict in the drill's status; change no routes")
    .option("--name <name>", "the drill's name (default: drill-<target>-<UTC minute>)")
    .option("--namespace <namespace>", "the drill's namespace (default meridian-system)")
    .option("--wait", "follow the drill until it ends, like drill status")
    .action((options: Record<string, unknown>) => run(runDrillStart(options, io)));
  withName(drill.command("status").description("show a drill's phase and timeline, following it live until it ends")).option("--once", "print once; do not follow").action(
    (name: unknown, options: Record<string, unknown>) => run(runDrillStatus(name, options, io)),
  );
  withName(drill.command("abort").description("end a running drill now: the controller restores the routes and verifies them")).action((name: unknown, options: Record<string, unknown>) =>
    run(runDrillAbort(name, options, io)),
  );
  withName(drill.command("report").description("print a drill's timeline, preflight and per-cluster verification (-o json for machines)")).action(
    (name: unknown, options: Record<string, unknown>) => run(runDrillReport(name, options, io)),
  );
}

function withTarget(command: Command): Command {
  return withHome(command)
    .option("--region <region>", "evacuate this region")
    .option("--cluster <cluster>", "evacuate this cluster")
    .option("--identities <a,b>", "only these identities (default: every identity)")
    .option("--duration <duration>", "how long the drill holds the evacuation, 1s to 24h, e.g. 15m (default 15m)");
}

function withName(command: Command): Command {
  return withHome(command.argument("<name>", "the FailoverDrill's name")).option("--namespace <namespace>", "the drill's namespace (default meridian-system)");
}
