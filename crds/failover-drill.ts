// FailoverDrill: evacuate one region or cluster for a while, then restore it. Mirrors
// crds/meridian.dev_failoverdrills.yaml.
import { z } from "zod";
import {
  ObjectMetaSchema,
  boundedString,
  conditionList,
  count,
  dateTime,
  dnsLabel,
  durationString,
  formatDuration,
  listSet,
  parseDuration,
  pruneNulls,
} from "./common.js";
import { API_VERSION } from "./group-version.js";
import { celIssue, parserFor } from "./parse.js";

export const DEFAULT_DRILL_DURATION = "15m";
/** Bounds on `spec.duration`, checked by the controller (the CRD checks only the format). */
export const DRILL_DURATION_BOUNDS_MS = { min: 1_000, max: 24 * 3_600_000 } as const;

export const FAILOVER_DRILL_RULES = {
  exactlyOneTarget: "exactly one of region or cluster must be set",
} as const;

export const DRILL_PHASES = [
  "Pending",
  "Preflight",
  "Evacuating",
  "Holding",
  "Restoring",
  "Completed",
  "Aborted",
  "Failed",
  "Refused",
] as const;
export type DrillPhase = (typeof DRILL_PHASES)[number];

const TargetSchema = z
  .object({ region: dnsLabel().optional(), cluster: dnsLabel().optional() })
  .superRefine((target, ctx) => {
    // CEL: has(self.region) != has(self.cluster)
    if ((target.region === undefined) === (target.cluster === undefined)) celIssue(ctx, FAILOVER_DRILL_RULES.exactlyOneTarget);
  });
export type DrillTarget = z.infer<typeof TargetSchema>;

export const FailoverDrillSpecSchema = z.object({
  target: TargetSchema,
  identities: listSet(dnsLabel(), 1024).optional(),
  duration: durationString().default(DEFAULT_DRILL_DURATION),
  planOnly: z.boolean().default(false),
  force: z.boolean().default(false),
});

const TimelineEntrySchema = z.object({ time: dateTime(), phase: boundedString(64), message: boundedString(4096) });
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export const FailoverDrillStatusSchema = z.object({
  phase: z.enum(DRILL_PHASES).optional(),
  observedGeneration: count().optional(),
  conditions: conditionList().optional(),
  startedAt: dateTime().optional(),
  endsAt: dateTime().optional(),
  reason: boundedString(4096).optional(),
  forced: z.boolean().optional(),
  timeline: z.array(TimelineEntrySchema).max(1024).optional(),
  /** x-kubernetes-preserve-unknown-fields: the controller owns its shape. */
  report: z.record(z.string(), z.unknown()).optional(),
});

const OPAQUE_KEYS: ReadonlySet<string> = new Set(["report"]);

export const FailoverDrillSchema = z.preprocess(
  (obj) => pruneNulls(obj, OPAQUE_KEYS),
  z.object({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal("FailoverDrill"),
    metadata: ObjectMetaSchema,
    spec: FailoverDrillSpecSchema,
    status: FailoverDrillStatusSchema.optional(),
  }),
);

export type FailoverDrill = z.infer<typeof FailoverDrillSchema>;
export type FailoverDrillSpec = z.infer<typeof FailoverDrillSpecSchema>;
export type FailoverDrillStatus = z.infer<typeof FailoverDrillStatusSchema>;

/** Validates a FailoverDrill and applies the CRD's defaults. */
export const parseFailoverDrill = parserFor(FailoverDrillSchema);

/**
 * The controller's check of `spec.duration` (1s to 24h), which the CRD leaves to code: the reason to
 * refuse the drill, or undefined when the duration is fine.
 */
export function drillDurationProblem(duration: string): string | undefined {
  const ms = parseDuration(duration);
  const { min, max } = DRILL_DURATION_BOUNDS_MS;
  if (ms >= min && ms <= max) return undefined;
  return `spec.duration ${duration} is outside ${formatDuration(min)}..${formatDuration(max)}`;
}
