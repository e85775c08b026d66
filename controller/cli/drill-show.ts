// `meridian drill status NAME [--once]`, `meridian drill report NAME` and `meridian drill abort NAME`.
// status follows the drill live until it ends (or prints once); report prints the timeline and
// verification results; abort asks the controller to end a running drill and restore the routes.
import type { CliIo } from "./cli-io.js";
import { homeOf, parseOrThrow } from "./cluster-flags.js";
import { finish, followDrill } from "./drill-follow.js";
import { DrillNameFlagsSchema } from "./drill-flags.js";
import { DrillObjects } from "./drill-objects.js";
import { FINAL_DRILL_PHASES, drillData, renderDrillReport, renderDrillSummary, renderTimeline } from "./drill-render.js";
import { EXIT } from "./exit-codes.js";
import { readDrillReport } from "../core/drill-report.js";
import { RegistrationError } from "../../federation/registration/errors.js";
import { loadHomeKubeconfig } from "./kubeconfig-files.js";
import { renderData } from "./output.js";

function open(name: unknown, raw: Record<string, unknown>, io: CliIo) {
  const flags = parseOrThrow(DrillNameFlagsSchema, { ...raw, name });
  const objects = new DrillObjects(loadHomeKubeconfig(homeOf(flags), io));
  return { flags, objects, ref: { namespace: flags.namespace, name: flags.name } };
}

export async function runDrillStatus(name: unknown, raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const { flags, objects, ref } = open(name, raw, io);
  const drill = await objects.read(ref);
  if (flags.output !== "table") {
    io.stdout.write(renderData(flags.output, drillData(drill)));
    return EXIT.ok;
  }
  const timeline = drill.status?.timeline ?? [];
  io.stdout.write(`${renderDrillSummary(drill, io.now())}\nTimeline:\n${timeline.length === 0 ? "  (none yet: the controller has not picked the drill up)\n" : renderTimeline(timeline, timeline[0]?.time)}`);
  if (FINAL_DRILL_PHASES.has(drill.status?.phase ?? "")) return finish(drill, io, false);
  if (flags.once) return EXIT.ok;
  return followDrill(objects, ref, io, { printed: timeline.length });
}

export async function runDrillReport(name: unknown, raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const { flags, objects, ref } = open(name, raw, io);
  const drill = await objects.read(ref);
  io.stdout.write(flags.output === "table" ? renderDrillReport(drill, io.now()) : renderData(flags.output, drillData(drill)));
  return EXIT.ok;
}

export async function runDrillAbort(name: unknown, raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const { objects, ref } = open(name, raw, io);
  const drill = await objects.read(ref);
  const phase = drill.status?.phase ?? "Pending";
  if (FINAL_DRILL_PHASES.has(phase)) {
    throw new RegistrationError("conflict", `FailoverDrill ${ref.namespace}/${ref.name} already ended ${phase}: nothing to abort (meridian drill report ${ref.name} shows how)`);
  }
  if (phase === "Restoring") {
    io.stdout.write(`FailoverDrill ${ref.namespace}/${ref.name} is already restoring the routes; it ends ${readDrillReport(drill.status?.report)?.ending ?? "shortly"}.\n`);
    return EXIT.ok;
  }
  await objects.abort(ref, io.now());
  io.stdout.write(`Abort requested for FailoverDrill ${ref.namespace}/${ref.name} (was ${phase}): the controller restores the routes and ends it Aborted. Follow it with: meridian drill status ${ref.name} --namespace ${ref.namespace}\n`);
  return EXIT.ok;
}
