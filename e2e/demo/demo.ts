// `npm run demo [-- --keep] [--verbose]`: three local control planes in two regions and Redis (the
// e2e harness), the clusters registered with `meridian cluster register`, sample identities
// (web → checkout → payments) with their ServiceDependencies and a TrafficPolicy, `meridian
// controller` as a child process, per cluster the ServiceEntries and DestinationRules it wrote, what
// the callers' sidecars get for payments' host from a real istiod in their cluster, and a failover
// drill of one region: its plan, the routes (and the sidecars' view) while it holds, and its report; then
// `meridian explain payments --from us-east-1a` and `meridian plan` of one dependency change.
// Without --keep everything is stopped at the end; with --keep it runs until Ctrl-C.
// The entry point: the only place that reads the process's arguments, environment and signals.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { harnessLog } from "../harness/harness-log.js";
import { readHarnessConfig, type HarnessConfig, type TestRedis } from "../harness/index.js";
import { controllerEnv, startController, type DemoController } from "./controller.js";
import { waitForConvergence, type ClusterObjects } from "./convergence.js";
import { DemoError } from "./demo-error.js";
import { DEMO_EXPLAIN, runDemoDayTwo } from "./day2.js";
import { DEMO_DRILL, runDemoDrill } from "./drill.js";
import { checkPrerequisites, missing, renderPrerequisites } from "../harness/prerequisites.js";
import { clusterList, describeBinaries, findBinaries, registerClusters, startServers, type RunningCluster } from "./fleet.js";
import { renderHomeStatuses, waitForStatuses } from "./home-status.js";
import { Lifetime } from "./lifetime.js";
import { Phases } from "./phases.js";
import { indent, renderCluster, renderScenario, writeYamlFiles } from "./report.js";
import { renderKeepInstructions } from "./instructions.js";
import { clusterNamed, expectedHosts, SCENARIO, SYNC_NAMESPACE } from "./scenario.js";
import { allEndpoints, noneIn, shownHost, shownPolicy, sidecarLines, startSidecarIstiods, type DemoSidecar } from "./sidecars.js";
import { deployWorkloads } from "./workloads.js";

const USAGE =
  "usage: npm run demo [-- --keep] [--verbose] [--preflight]\n  --keep       leave everything running until Ctrl-C, and print how to reach it\n  --verbose    also print the harness's JSON log lines (stderr)\n  --preflight  only check what the demo needs (Node.js, kube-apiserver and etcd or Go, Istio's CRDs, istiod or Go, Redis) and exit";
const FLAGS = ["--keep", "--verbose", "--preflight"];
const CONVERGENCE_TIMEOUT_MS = 180_000;

interface Options {
  readonly keep: boolean;
  readonly verbose: boolean;
  readonly preflight: boolean;
}

interface Context {
  readonly options: Options;
  readonly config: HarnessConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly lifetime: Lifetime;
  readonly phases: Phases;
  readonly outDir: string;
  /** Set once everything runs and --keep waits for Ctrl-C: a stop then is the normal end (exit 0). */
  readonly state: { waiting: boolean };
}

const print = (line = ""): void => void process.stdout.write(`${line}\n`);

function parseArgs(argv: readonly string[]): Options | undefined {
  if (argv.some((arg) => !FLAGS.includes(arg))) return undefined;
  return { keep: argv.includes("--keep"), verbose: argv.includes("--verbose"), preflight: argv.includes("--preflight") };
}

async function startFleet(ctx: Context): Promise<{ redis: TestRedis; clusters: RunningCluster[]; home: RunningCluster }> {
  const { phases, config, lifetime } = ctx;
  await phases.run("binaries", await describeBinaries(config), () => findBinaries(config), (found) => found);
  const { redis, clusters } = await phases.run(
    "control planes + Redis",
    `starting ${SCENARIO.clusters.length} control planes (kube-apiserver + etcd, Meridian's and Istio's CRDs) and Redis`,
    () => startServers(SCENARIO, config, lifetime),
    (started) => `${started.clusters.map((running) => `${running.cluster.name} ${running.plane.server}`).join(", ")}; Redis ${started.redis.url}`,
  );
  const home = clusters.find((running) => running.cluster.name === SCENARIO.home) as RunningCluster;
  const registered = await phases.run("registration", `registering them with \`meridian cluster register\` (home cluster ${SCENARIO.home})`, () => registerClusters(clusters, home), (lines) => `${lines.length} clusters registered`);
  for (const line of registered) print(`      ${line}`);
  return { redis, clusters, home };
}

async function converge(ctx: Context, clusters: readonly RunningCluster[], controller: DemoController): Promise<ClusterObjects[]> {
  const expected = expectedHosts(SCENARIO);
  const total = [...expected.values()].reduce((sum, hosts) => sum + hosts.length * 2, 0);
  const failIf = (): string | undefined => (controller.exited() ? "the controller exited" : undefined);
  try {
    return await ctx.phases.run(
      "convergence",
      `waiting for /readyz and the ${total} ServiceEntries and DestinationRules the scenario needs`,
      () => waitForConvergence({ clusters, expected, ready: controller.ready, failIf, timeoutMs: CONVERGENCE_TIMEOUT_MS }),
      () => `converged: every cluster has what it needs, /readyz answers 200`,
    );
  } catch (err) {
    throw new DemoError(`${(err as Error).message}\nLast lines of the controller's log (all of it: ${controller.logFile}):\n${controller.logTail(40)}`, { cause: err });
  }
}

async function runController(ctx: Context, home: RunningCluster, redis: TestRedis): Promise<DemoController> {
  const logFile = join(ctx.outDir, "controller.log");
  const start = async (): Promise<DemoController> => {
    const controller = await ctx.lifetime.track(startController({ homeKubeconfig: home.plane.kubeconfig, redisUrl: redis.url, logFile, env: controllerEnv(ctx.env) }));
    ctx.lifetime.own(`the controller (PID ${controller.pid})`, async () => void (await controller.stop()));
    return controller;
  };
  return ctx.phases.run("controller start", "starting `meridian controller` as a child process", start, (controller) => `PID ${controller.pid}, http://127.0.0.1:${controller.port}/metrics, log ${logFile}`);
}

async function printResults(ctx: Context, objects: readonly ClusterObjects[], home: RunningCluster): Promise<void> {
  print();
  print(`What the controller wrote into each cluster's ${SYNC_NAMESPACE} namespace:`);
  for (const clusterObjects of objects) {
    const cluster = clusterNamed(SCENARIO, clusterObjects.cluster);
    const runs = SCENARIO.identities.filter((identity) => identity.runsIn.includes(cluster.name)).map((identity) => identity.identity);
    print();
    print(renderCluster({ ...cluster, home: cluster.name === SCENARIO.home, runs }, clusterObjects));
  }
  const files = await writeYamlFiles(ctx.outDir, objects);
  print();
  print("The YAML of every object, one file per cluster:");
  for (const [cluster, file] of files) print(`    ${cluster.padEnd(12)} ${file}`);
  print();
  print(`Status of the ServiceDependencies and TrafficPolicy in ${SCENARIO.home}, written by the controller:`);
  print(indent(renderHomeStatuses(await waitForStatuses(home, SCENARIO.namespace))));
  print();
  print("`meridian cluster list`:");
  print(indent(await clusterList(home)));
}

async function sidecars(ctx: Context, clusters: readonly RunningCluster[]): Promise<DemoSidecar[]> {
  print();
  const announce = `starting a real istiod in each cluster where a caller of ${shownHost()} runs, and asking it, as that caller's sidecar, where the host's traffic goes`;
  const started = await ctx.phases.run("sidecars", announce, () => startSidecarIstiods(SCENARIO, clusters, ctx.config, ctx.lifetime), (list) => `istiod in ${list.map((s) => `${s.cluster.cluster.name} (PID ${s.istiod.process.pid})`).join(", ")}`);
  print();
  print(`What each caller's sidecar gets for ${shownHost()} from istiod (Envoy's endpoints by priority; ${shownPolicy(SCENARIO)}):`);
  for (const line of await sidecarLines(SCENARIO, started, allEndpoints(SCENARIO))) print(`    ${line}`);
  return started;
}

async function drill(ctx: Context, clusters: readonly RunningCluster[], home: RunningCluster, sidecarList: readonly DemoSidecar[]): Promise<void> {
  print();
  const announce = `a failover drill: \`meridian drill plan\`, then \`drill start\` to evacuate region ${DEMO_DRILL.region} for ${DEMO_DRILL.duration}; the controller evacuates, verifies every cluster, holds, restores and verifies again`;
  const whileHolding = (): Promise<string[]> => sidecarLines(SCENARIO, sidecarList, noneIn(SCENARIO, DEMO_DRILL.region));
  const result = await ctx.phases.run("failover drill", announce, () => runDemoDrill(clusters, home, whileHolding), (done) => `the drill ended ${done.phase}`);
  print();
  print(`\`meridian drill plan --region ${DEMO_DRILL.region}\`:`);
  print(indent(result.plan));
  print();
  print("What each cluster's ServiceEntries held while the drill was Holding:");
  print(indent(result.during));
  print();
  print(`What each caller's sidecar got for ${shownHost()} from istiod while the drill was Holding:`);
  for (const line of result.sidecars) print(`    ${line}`);
  print();
  print(`\`meridian drill report ${DEMO_DRILL.name}\`, after the routes came back:`);
  print(indent(result.report));
}

async function dayTwo(ctx: Context, home: RunningCluster): Promise<void> {
  print();
  const announce = `day-2 questions: \`meridian explain ${DEMO_EXPLAIN.identity} --from ${DEMO_EXPLAIN.from}\`, and \`meridian plan\` of one dependency change (payments would call checkout back); both only read`;
  const result = await ctx.phases.run("day 2", announce, () => runDemoDayTwo(SCENARIO, home, ctx.outDir), () => "answered");
  print();
  print(`\`meridian explain ${DEMO_EXPLAIN.identity} --from ${DEMO_EXPLAIN.from}\`:`);
  print(indent(result.explain));
  print();
  print(`\`meridian plan -f ${result.planFile}\`:`);
  print(indent(result.plan));
}

function deployedSummary(): string {
  const workloads = SCENARIO.identities.reduce((sum, identity) => sum + identity.runsIn.length, 0);
  const dependencies = SCENARIO.identities.filter((identity) => identity.calls.length > 0).length;
  const policies = SCENARIO.identities.filter((identity) => identity.policy !== undefined).length;
  return `${workloads} workloads (Service, Deployment, EndpointSlice), ${dependencies} ServiceDependencies, ${policies} TrafficPolicy`;
}

async function run(ctx: Context): Promise<void> {
  print("Meridian demo: three local control planes in two regions, Redis, `meridian controller`, and web → checkout → payments.");
  print(`Output directory (controller log, YAML): ${ctx.outDir}`);
  print();
  const { redis, clusters, home } = await startFleet(ctx);
  const deploy = (): Promise<void> => deployWorkloads(SCENARIO, clusters, home);
  await ctx.phases.run("workloads", `deploying the sample identities (namespace ${SCENARIO.namespace}) and their ServiceDependencies and TrafficPolicy (home cluster)`, deploy, () => deployedSummary());
  print(renderScenario(SCENARIO));
  const controller = await runController(ctx, home, redis);
  const objects = await converge(ctx, clusters, controller);
  await printResults(ctx, objects, home);
  const sidecarList = await sidecars(ctx, clusters);
  await drill(ctx, clusters, home, sidecarList);
  await dayTwo(ctx, home);
  print();
  print(`Timings: ${ctx.phases.summary()}`);
  if (ctx.options.keep) {
    print();
    print(renderKeepInstructions({ clusters, home, redis, controller, demoPid: process.pid }));
    ctx.state.waiting = true;
    await ctx.lifetime.stopped;
    return;
  }
  print();
  print("Stopping everything the demo started (--keep leaves it running):");
  await ctx.lifetime.stop();
  print(`Done. The controller's log and the YAML stay in ${ctx.outDir}`);
}

/**
 * A Ctrl-C under `npm run demo` arrives twice (from the terminal, and forwarded by npm): signals
 * within this long of the first count as the same one.
 */
const REPEATED_SIGNAL_MS = 2_000;

/** First SIGINT/SIGTERM/SIGHUP: stop everything in order and exit. Another one later: exit now (exit hooks kill what is left). */
function handleSignals(lifetime: Lifetime, waiting: () => boolean): void {
  let first = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (lifetime.stopping) {
      if (Date.now() - first < REPEATED_SIGNAL_MS) return;
      print(`${signal} again: killing what is left and exiting.`);
      process.exit(130);
    }
    first = Date.now();
    print();
    print(`${signal}: stopping everything the demo started (another Ctrl-C kills it all at once) …`);
    void lifetime.stop().then(() => {
      print("Stopped.");
      process.exit(waiting() ? 0 : 130);
    });
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
}

function errorText(err: unknown): string {
  if (err instanceof DemoError) return err.message;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const options = parseArgs(argv);
  if (options === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!options.verbose) harnessLog.level = "silent";
  const config = readHarnessConfig(env);
  const checks = await checkPrerequisites(config);
  const problems = missing(checks);
  if (options.preflight) print(renderPrerequisites(checks.filter((check) => check.problem === undefined)));
  if (problems.length > 0) {
    process.stderr.write(`${options.preflight ? "" : "The demo cannot start:\n"}${renderPrerequisites(problems)}\n`);
    return 1;
  }
  if (options.preflight) return 0;
  const lifetime = new Lifetime(print);
  const state = { waiting: false };
  handleSignals(lifetime, () => state.waiting);
  const ctx: Context = { options, config, env, lifetime, phases: new Phases(9, print, () => lifetime.stopping), outDir: await mkdtemp(join(tmpdir(), "meridian-demo-")), state };
  try {
    await run(ctx);
    return 0;
  } catch (err) {
    if (lifetime.stopping) return 130; // a signal is stopping everything; its handler exits
    process.stderr.write(`\ndemo failed: ${errorText(err)}\n`);
    print("Stopping everything the demo started:");
    await lifetime.stop();
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2), process.env);
