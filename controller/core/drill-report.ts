// The shape of a FailoverDrill's `status.report`, which the controller owns (the CRD preserves it
// as it is), and the reader that the CLI and the controller use to get it back from an object.
// Pure.
import { z } from "zod";

/** Annotation that asks the controller to end a running drill early (`meridian drill abort`). */
export const DRILL_ABORT_ANNOTATION = "meridian.dev/abort";

/** The phases a drill ends in; `ending` says which one a drill in Restoring is heading for. */
export const DRILL_ENDINGS = ["Completed", "Aborted", "Failed"] as const;
export type DrillEnding = (typeof DRILL_ENDINGS)[number];

const ClusterVerificationSchema = z.object({
  cluster: z.string(),
  /** Hosts whose endpoints were compared in this cluster. */
  hosts: z.number(),
  verified: z.boolean(),
  verifiedAt: z.string().optional(),
  /** Hosts still not as planned when verification gave up (at most a few, by name). */
  mismatched: z.array(z.string()).optional(),
  /** Why the cluster could not be read, when it could not. */
  error: z.string().optional(),
});
export type ClusterVerification = z.infer<typeof ClusterVerificationSchema>;

const VerificationSchema = z.object({
  /** When the phase that is verified (Evacuating or Restoring) began. */
  startedAt: z.string(),
  /** When the last affected cluster was verified. */
  verifiedAt: z.string().optional(),
  /** verifiedAt − startedAt. */
  durationMs: z.number().optional(),
  clusters: z.array(ClusterVerificationSchema),
});
export type Verification = z.infer<typeof VerificationSchema>;

const PreflightSchema = z.object({
  verdict: z.enum(["Ready", "Refused"]),
  reasons: z.array(z.string()),
  checkedAt: z.string(),
});

export const DrillReportSchema = z.object({
  /** `region eu-west-1` or `cluster c1`. */
  target: z.string(),
  preflight: PreflightSchema.optional(),
  affectedIdentities: z.array(z.string()).default([]),
  affectedClusters: z.array(z.string()).default([]),
  /** Hosts (cluster × ServiceEntry) whose endpoints the drill changes. */
  hosts: z.number().default(0),
  /** Set when the drill stops holding: the phase it ends in once restoration is verified. */
  ending: z.enum(DRILL_ENDINGS).optional(),
  endReason: z.string().optional(),
  evacuation: VerificationSchema.optional(),
  restoration: VerificationSchema.optional(),
});
export type DrillReport = z.infer<typeof DrillReportSchema>;

/** The report in a drill's status, or undefined when there is none or it is not one of ours. */
export function readDrillReport(raw: unknown): DrillReport | undefined {
  if (raw === undefined || raw === null) return undefined;
  const parsed = DrillReportSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
