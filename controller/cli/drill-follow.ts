// Following a running drill: read it every 500 ms, print each new timeline entry as it appears,
// stop when the drill reaches a final phase. Exit 0 for Completed or Aborted, 6 for Refused or
// Failed. A few failed reads in a row are tolerated (the API server restarting); more are an error.
import { setTimeout as sleep } from "node:timers/promises";

import type { FailoverDrill } from "../../crds/index.js";
import type { CliIo } from "./cli-io.js";
import type { DrillObjects, DrillRef } from "./drill-objects.js";
import { FINAL_DRILL_PHASES, renderTimeline } from "./drill-render.js";
import { EXIT } from "./exit-codes.js";

const POLL_MS = 500;
const TOLERATED_FAILURES = 10;

export interface FollowOptions {
  /** Print nothing while following (the caller prints JSON/YAML). */
  quiet?: boolean;
  /** Timeline entries already printed. */
  printed?: number;
}

export async function followDrill(objects: DrillObjects, ref: DrillRef, io: CliIo, options: FollowOptions = {}): Promise<number> {
  const quiet = options.quiet === true;
  let printed = options.printed ?? 0;
  for (;;) {
    const drill = await readTolerant(objects, ref);
    if (!quiet) printNew(drill, printed, io);
    printed = timelineOf(drill).length;
    if (isFinal(drill)) return finish(drill, io, quiet);
    await sleep(POLL_MS);
  }
}

const timelineOf = (drill: FailoverDrill) => drill.status?.timeline ?? [];
const isFinal = (drill: FailoverDrill): boolean => FINAL_DRILL_PHASES.has(drill.status?.phase ?? "");

function printNew(drill: FailoverDrill, printed: number, io: CliIo): void {
  const timeline = timelineOf(drill);
  if (timeline.length > printed) io.stdout.write(renderTimeline(timeline.slice(printed), timeline[0]?.time));
}

async function readTolerant(objects: DrillObjects, ref: DrillRef): Promise<FailoverDrill> {
  for (let failures = 0; ; failures += 1) {
    try {
      return await objects.read(ref);
    } catch (err) {
      if (failures >= TOLERATED_FAILURES) throw err;
      await sleep(POLL_MS);
    }
  }
}

/** The exit code of a drill in a final phase, after one closing line. */
export function finish(drill: FailoverDrill, io: CliIo, quiet: boolean): number {
  const phase = drill.status?.phase ?? "";
  const ok = phase === "Completed" || phase === "Aborted";
  if (!quiet) io.stdout.write(`Drill ${drill.metadata.name} ${phase}${drill.status?.reason === undefined ? "" : `: ${drill.status.reason}`}. Full report: meridian drill report ${drill.metadata.name} --namespace ${drill.metadata.namespace ?? ""}\n`);
  return ok ? EXIT.ok : EXIT.findings;
}
