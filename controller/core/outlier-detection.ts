// Outlier detection on every DestinationRule: Istio's locality failover does nothing without it,
// and Envoy's default of ejecting at most 10% of hosts would never empty a locality (a remote
// cluster is often one gateway endpoint). Defaults below, merged with the policy's overrides.
import type { OutlierDetection } from "../../crds/istio.js";
import type { OutlierDetectionOverrides, Problem, TrafficPolicy } from "./model.js";
import { describeRef, problem } from "./problems.js";

export const DEFAULT_OUTLIER_DETECTION: Readonly<OutlierDetection> = Object.freeze({
  consecutive5xxErrors: 5,
  interval: "10s",
  baseEjectionTime: "30s",
  maxEjectionPercent: 100,
});

/** The defaults overridden field by field; keys in a fixed order. */
export function outlierDetectionFor(policy: TrafficPolicy | undefined): OutlierDetection {
  const o: OutlierDetectionOverrides | undefined = policy?.outlierDetection;
  if (o === undefined) return DEFAULT_OUTLIER_DETECTION;
  const merged: OutlierDetection = {
    consecutive5xxErrors: o.consecutive5xxErrors ?? DEFAULT_OUTLIER_DETECTION.consecutive5xxErrors,
    interval: o.interval ?? DEFAULT_OUTLIER_DETECTION.interval,
    baseEjectionTime: o.baseEjectionTime ?? DEFAULT_OUTLIER_DETECTION.baseEjectionTime,
    maxEjectionPercent: o.maxEjectionPercent ?? DEFAULT_OUTLIER_DETECTION.maxEjectionPercent,
  };
  if (o.consecutiveGatewayErrors === undefined) return merged;
  return {
    consecutive5xxErrors: merged.consecutive5xxErrors,
    consecutiveGatewayErrors: o.consecutiveGatewayErrors,
    interval: merged.interval,
    baseEjectionTime: merged.baseEjectionTime,
    maxEjectionPercent: merged.maxEjectionPercent,
  };
}

/** A warning when the overrides switch ejection off: the override is kept, failover will not happen. */
export function outlierDetectionProblems(policy: TrafficPolicy): Problem[] {
  if (policy.outlierDetection === undefined) return [];
  const od = outlierDetectionFor(policy);
  const noThreshold = !(od.consecutive5xxErrors ?? 0) && !(od.consecutiveGatewayErrors ?? 0);
  if (!noThreshold && od.maxEjectionPercent > 0) return [];
  const field = noThreshold
    ? "spec.outlierDetection.consecutive5xxErrors and consecutiveGatewayErrors are 0"
    : "spec.outlierDetection.maxEjectionPercent is 0";
  return [problem("OutlierDetectionDisabled", policy.ref,
    `${describeRef(policy.ref)}: ${field}, so no endpoint is ever ejected and locality failover for identity ${policy.identity} will not happen; the override is applied as written`)];
}
