// `meridian plan -f FILE…|- [--delete] [--detailed-exitcode]`: what would happen if these
// ServiceDependencies, TrafficPolicies, FailoverDrills and MeshClusters were applied (or deleted)?
// Validates them with the controller's schemas, reads the fleet as the controller would (read-only),
// plans before and after in memory and prints the difference. Exit 0 nothing changes; 2 something
// changes (only with --detailed-exitcode); 6 a new problem would appear; 2 also for bad input.
import { comparePlans, plan, plansEqual } from "../core/index.js";
import type { CliIo } from "./cli-io.js";
import { homeOf, parseOrThrow } from "./cluster-flags.js";
import { PlanFlagsSchema } from "./day2-flags.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { fleetSettings, readFleet } from "./fleet-snapshot.js";
import { loadHomeKubeconfig } from "./kubeconfig-files.js";
import { renderData } from "./output.js";
import { applyManifests, parseManifests } from "./plan-manifests.js";
import type { Manifest } from "./plan-manifests.js";
import { renderPlanChanges } from "./plan-render.js";

/** Standard input, read the way every other file is. */
const STDIN = "/dev/stdin";

export async function runPlan(raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const flags = parseOrThrow(PlanFlagsSchema, raw);
  const manifests = flags.filename.flatMap((file) => parseManifests(file, readText(file, io)));
  if (manifests.length === 0) throw new UsageError(`${flags.filename.join(", ")}: no ServiceDependency, TrafficPolicy, FailoverDrill or MeshCluster to plan`);
  const fleet = await readFleet(loadHomeKubeconfig(homeOf(flags), io), fleetSettings(io.settingsEnv ?? {}), io);
  const after = applyManifests(fleet, manifests, { delete: flags.delete, now: io.now().toISOString() });
  const changes = comparePlans(plan(fleet), plan(after));
  io.stdout.write(flags.output === "table" ? renderPlanChanges(changes) : renderData(flags.output, { manifests: manifests.map(describe), ...changes }));
  if (changes.problemsAppeared.length > 0) return EXIT.findings;
  return flags.detailedExitcode && !plansEqual(changes) ? EXIT.changes : EXIT.ok;
}

function readText(file: string, io: CliIo): string {
  try {
    return io.readFile(file === "-" ? STDIN : file).toString("utf8");
  } catch (err) {
    throw new UsageError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

const describe = (m: Manifest): string => `${m.kind} ${m.ref.namespace === undefined ? "" : `${m.ref.namespace}/`}${m.ref.name}`;
