// `meridian drill plan --region R | --cluster C [--identities a,b]`: reads the fleet as the
// controller would, and prints per affected identity and cluster the endpoints now and during the
// drill, with the preflight verdict (controller/core/drill-plan.ts). Exit 0 when the drill could
// run, 6 when preflight refuses it.

import { clusterName, planDrill } from "../core/index.js";
import type { Drill } from "../core/index.js";
import type { CliIo } from "./cli-io.js";
import { homeOf, parseOrThrow } from "./cluster-flags.js";
import { DrillPlanFlagsSchema } from "./drill-flags.js";
import { EXIT } from "./exit-codes.js";
import { fleetSettings, readFleet } from "./fleet-snapshot.js";
import { loadHomeKubeconfig } from "./kubeconfig-files.js";
import { renderDrillPlan } from "./drill-render.js";
import { renderData } from "./output.js";

export async function runDrillPlan(raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const flags = parseOrThrow(DrillPlanFlagsSchema, raw);
  const fleet = await readFleet(loadHomeKubeconfig(homeOf(flags), io), fleetSettings(io.settingsEnv ?? {}), io);
  const target: Drill["target"] = flags.region === undefined ? { cluster: clusterName(flags.cluster ?? "") } : { region: flags.region };
  const drill: Drill = { ref: { kind: "FailoverDrill", namespace: "(plan)", name: "drill" }, target, ...(flags.identities === undefined ? {} : { identities: flags.identities }) };
  const result = planDrill(fleet, drill);
  io.stdout.write(flags.output === "table" ? renderDrillPlan(result, flags.duration.ms) : renderData(flags.output, { ...result, durationMs: flags.duration.ms }));
  return result.verdict === "Ready" ? EXIT.ok : EXIT.findings;
}
