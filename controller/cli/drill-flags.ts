// The `drill` commands' flags, validated with zod at the edge like the cluster commands': each
// failure is one line naming the flag. Shared by plan, start, status, abort and report.
import { z } from "zod";

import { DRILL_DURATION_BOUNDS_MS, formatDuration, parseDuration } from "../../crds/index.js";
import { dnsLabelProblem } from "../../federation/dns-label.js";
import { HomeOnlySchema, label } from "./cluster-flags.js";

/** Where `meridian drill start` creates drills unless told otherwise (the controller's namespace). */
export const DEFAULT_DRILL_NAMESPACE = "meridian-system";

const identities = z.string().transform((value, ctx) => {
  const names = value.split(",").map((name) => name.trim()).filter((name) => name !== "");
  const bad = names.find((name) => dnsLabelProblem(name) !== undefined);
  if (bad !== undefined) ctx.addIssue({ code: "custom", message: `--identities: "${bad}" is not an identity (a DNS-1123 label)` });
  if (names.length === 0) ctx.addIssue({ code: "custom", message: "--identities must name at least one identity" });
  return [...new Set(names)].sort();
});

/** `--duration` as the CRD stores it (e.g. 15m), checked against the bounds the controller enforces. */
const duration = z.string().transform((value, ctx) => {
  try {
    const ms = parseDuration(value);
    const { min, max } = DRILL_DURATION_BOUNDS_MS;
    if (ms >= min && ms <= max) return { text: value, ms };
    ctx.addIssue({ code: "custom", message: `--duration ${value} must be from ${formatDuration(min)} to ${formatDuration(max)}` });
  } catch (err) {
    ctx.addIssue({ code: "custom", message: `--duration: ${(err as Error).message}` });
  }
  return z.NEVER;
});

const TargetFlagsSchema = HomeOnlySchema.extend({
  duration: duration.default({ text: "15m", ms: 15 * 60_000 }),
  region: label("--region", "the region to evacuate").optional(),
  cluster: label("--cluster", "the cluster to evacuate").optional(),
  identities: identities.optional(),
});

function exactlyOneTarget(flags: { region?: string | undefined; cluster?: string | undefined }, ctx: z.RefinementCtx): void {
  if ((flags.region === undefined) === (flags.cluster === undefined)) ctx.addIssue({ code: "custom", message: "give exactly one of --region and --cluster: the locality the drill evacuates" });
}

export const DrillPlanFlagsSchema = TargetFlagsSchema.superRefine(exactlyOneTarget);

const namespace = label("--namespace", "the namespace of the drill").default(DEFAULT_DRILL_NAMESPACE);

export const DrillStartFlagsSchema = TargetFlagsSchema.extend({
  name: label("--name", "the drill's name").optional(),
  namespace,
  force: z.boolean().default(false),
  planOnly: z.boolean().default(false),
  wait: z.boolean().default(false),
}).superRefine(exactlyOneTarget);

export const DrillNameFlagsSchema = HomeOnlySchema.extend({
  name: label("NAME", "the drill's name"),
  namespace,
  once: z.boolean().default(false),
});

export type DrillStartFlags = z.output<typeof DrillStartFlagsSchema>;

/**
 * The name `drill start` gives a drill without --name: the target and the minute it was asked for,
 * e.g. `drill-region-eu-west-1-20261204-1720` (a second start in the same minute is a conflict).
 */
export function defaultDrillName(flags: { region?: string | undefined; cluster?: string | undefined }, now: Date): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  const target = flags.region === undefined ? `cluster-${flags.cluster ?? ""}` : `region-${flags.region}`;
  return `drill-${target}`.slice(0, 63 - stamp.length - 1).replace(/-+$/, "") + `-${stamp}`;
}
