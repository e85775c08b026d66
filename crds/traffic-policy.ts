// TrafficPolicy: how traffic to one identity (+ env) spreads over localities. Mirrors
// crds/meridian.dev_trafficpolicies.yaml.
import { z } from "zod";
import { ObjectMetaSchema, boundedString, conditionList, count, dnsLabel, durationString, listMap, listSet, pruneNulls } from "./common.js";
import { API_VERSION } from "./group-version.js";
import { celIssue, parserFor } from "./parse.js";

export const TRAFFIC_MODES = ["Topology", "Failover", "Weighted"] as const;
export type TrafficMode = (typeof TRAFFIC_MODES)[number];
export const DEFAULT_TRAFFIC_MODE: TrafficMode = "Topology";
export const MAX_REGIONS = 64;

export const TRAFFIC_POLICY_RULES = {
  failoverNeedsRegions: "regions is required when mode is Failover",
  weightedNeedsWeights: "weights is required when mode is Weighted",
  weightsOnlyWhenWeighted: "weights may only be set when mode is Weighted",
  weightsSumTo100: "weights must sum to 100",
} as const;

export const TRAFFIC_POLICY_CONDITIONS = ["Applied"] as const;
export type TrafficPolicyConditionType = (typeof TRAFFIC_POLICY_CONDITIONS)[number];

const RegionWeightSchema = z.object({ region: dnsLabel(), weight: z.int().min(0).max(100) });
export type RegionWeight = z.infer<typeof RegionWeightSchema>;

export const OutlierDetectionSchema = z.object({
  consecutive5xxErrors: count().optional(),
  consecutiveGatewayErrors: count().optional(),
  interval: durationString().optional(),
  baseEjectionTime: durationString().optional(),
  maxEjectionPercent: z.int().min(0).max(100).optional(),
});
export type OutlierDetectionOverrides = z.infer<typeof OutlierDetectionSchema>;

const WeightsSchema = listMap(RegionWeightSchema, ["region"], MAX_REGIONS).superRefine((weights, ctx) => {
  // CEL: self.map(w, w.weight).sum() == 100
  if (weights.reduce((sum, w) => sum + w.weight, 0) !== 100) celIssue(ctx, TRAFFIC_POLICY_RULES.weightsSumTo100);
});

function checkMode(spec: { mode: TrafficMode; regions?: unknown; weights?: unknown }, ctx: z.RefinementCtx): void {
  // CEL: self.mode != 'Failover' || has(self.regions)
  if (spec.mode === "Failover" && spec.regions === undefined) celIssue(ctx, TRAFFIC_POLICY_RULES.failoverNeedsRegions, ["regions"]);
  // CEL: self.mode != 'Weighted' || has(self.weights)
  if (spec.mode === "Weighted" && spec.weights === undefined) celIssue(ctx, TRAFFIC_POLICY_RULES.weightedNeedsWeights, ["weights"]);
  // CEL: self.mode == 'Weighted' || !has(self.weights)
  if (spec.mode !== "Weighted" && spec.weights !== undefined) celIssue(ctx, TRAFFIC_POLICY_RULES.weightsOnlyWhenWeighted, ["weights"]);
}

export const TrafficPolicySpecSchema = z
  .object({
    identity: dnsLabel(),
    env: dnsLabel().optional(),
    mode: z.enum(TRAFFIC_MODES).default(DEFAULT_TRAFFIC_MODE),
    regions: listSet(dnsLabel(), MAX_REGIONS).min(1).optional(),
    weights: WeightsSchema.optional(),
    outlierDetection: OutlierDetectionSchema.optional(),
  })
  .superRefine(checkMode);

export const TrafficPolicyStatusSchema = z.object({
  observedGeneration: count().optional(),
  conditions: conditionList().optional(),
  appliedClusters: count().optional(),
  totalClusters: count().optional(),
  problems: z
    .array(z.object({ code: boundedString(128), message: boundedString(4096) }))
    .max(256)
    .optional(),
});

export const TrafficPolicySchema = z.preprocess(
  (obj) => pruneNulls(obj),
  z.object({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal("TrafficPolicy"),
    metadata: ObjectMetaSchema,
    spec: TrafficPolicySpecSchema,
    status: TrafficPolicyStatusSchema.optional(),
  }),
);

export type TrafficPolicy = z.infer<typeof TrafficPolicySchema>;
export type TrafficPolicySpec = z.infer<typeof TrafficPolicySpecSchema>;
export type TrafficPolicyStatus = z.infer<typeof TrafficPolicyStatusSchema>;

/** Validates a TrafficPolicy and applies the CRD's defaults. */
export const parseTrafficPolicy = parserFor(TrafficPolicySchema);
