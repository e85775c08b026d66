// `meridian drill plan --region R | --cluster C [--identities a,b]`: reads the fleet as the
// controller would, and prints per affected identity and cluster the endpoints now and during the
// drill, with the preflight verdict (controller/core/drill-plan.ts). Exit 0 when the drill could
// run, 6 when preflight refuses it.

import { z } from "zod";

import { formatDuration, parseDuration } from "../../crds/common.js";
import { clusterName, planDrill } from "../core/index.js";
import type { Drill, DrillPlan } from "../core/index.js";
import type { CliIo } from "./cli-io.js";
import { HomeOnlySchema, homeOf, label, parseOrThrow } from "./cluster-flags.js";
import { EXIT } from "./exit-codes.js";
import { readFleet } from "./fleet-snapshot.js";
import { loadHomeKubeconfig } from "./kubeconfig-files.js";
import { renderData, renderTable } from "./output.js";

const identities = z.string().transform((value, ctx) => {
  const names = value.split(",").map((name) => name.trim()).filter((name) => name !== "");
  const bad = names.find((name) => !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name));
  if (bad !== undefined) ctx.addIssue({ code: "custom", message: `--identities: "${bad}" is not an identity (a DNS-1123 label)` });
  if (names.length === 0) ctx.addIssue({ code: "custom", message: "--identities must name at least one identity" });
  return names;
});

const duration = z.string().transform((value, ctx) => {
  try {
    const ms = parseDuration(value);
    if (ms > 0) return ms;
    ctx.addIssue({ code: "custom", message: "--duration must be longer than 0s" });
  } catch (err) {
    ctx.addIssue({ code: "custom", message: `--duration: ${(err as Error).message}` });
  }
  return 0;
});

const DrillPlanFlagsSchema = HomeOnlySchema.extend({
  duration: duration.default(15 * 60_000),
  region: label("--region", "the region to evacuate").optional(),
  cluster: label("--cluster", "the cluster to evacuate").optional(),
  identities: identities.optional(),
}).superRefine((flags, ctx) => {
  if ((flags.region === undefined) === (flags.cluster === undefined)) ctx.addIssue({ code: "custom", message: "give exactly one of --region and --cluster: the locality the drill evacuates" });
});

export async function runDrillPlan(raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const flags = parseOrThrow(DrillPlanFlagsSchema, raw);
  const fleet = await readFleet(loadHomeKubeconfig(homeOf(flags), io), io);
  const target: Drill["target"] = flags.region === undefined ? { cluster: clusterName(flags.cluster ?? "") } : { region: flags.region };
  const drill: Drill = { ref: { kind: "FailoverDrill", namespace: "(plan)", name: "drill" }, target, ...(flags.identities === undefined ? {} : { identities: flags.identities }) };
  const result = planDrill(fleet, drill);
  io.stdout.write(flags.output === "table" ? render(result, flags.duration) : renderData(flags.output, { ...result, durationMs: flags.duration }));
  return result.verdict === "Ready" ? EXIT.ok : EXIT.findings;
}

function render(result: DrillPlan, durationMs: number): string {
  const verdict = result.verdict === "Ready" ? `Preflight: Ready (the routes below would hold for ${formatDuration(durationMs)}, then come back)` : `Preflight: Refused\n${result.reasons.map((reason) => `  - ${reason}`).join("\n")}`;
  const summary = `Affects ${result.affectedIdentities.length} identities (${result.affectedIdentities.join(", ") || "none"}) in ${result.affectedClusters.length} clusters (${result.affectedClusters.join(", ") || "none"}).`;
  if (result.routes.length === 0) return `${verdict}\n${summary}\n`;
  const rows = result.routes.map((route) => [route.cluster, route.identity, route.host, route.now.join(", "), route.during.join(", ") || "(none)"]);
  return `${verdict}\n${summary}\n\n${renderTable(["CLUSTER", "IDENTITY", "HOST", "ENDPOINTS NOW", "DURING THE DRILL"], rows)}`;
}
