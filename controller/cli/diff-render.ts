// `meridian diff`'s answer: per member cluster, the live objects against the desired ones
// (controller/core/live-diff.ts), as a table for people and as data for scripts. Pure.
import { compareLive, describeChange, IDENTITY_LABEL, liveDiffClean } from "../core/index.js";
import type { ClusterName, LiveDiff } from "../core/index.js";
import type { MemberState } from "./fleet-state.js";
import { renderTable } from "./output.js";


export interface MemberDiff {
  readonly cluster: ClusterName;
  readonly diff?: LiveDiff;
  readonly error?: string;
}

/** Each member's difference, narrowed to one identity's objects (and any object under one of their names) when given. */
export function diffMembers(members: readonly MemberState[], identity?: string): MemberDiff[] {
  return members.map((m) => {
    if (m.error !== undefined || m.live === undefined || m.desired === undefined) return { cluster: m.cluster, error: m.error ?? "not read" };
    const desired = identity === undefined ? m.desired : m.desired.filter((o) => o.metadata.labels[IDENTITY_LABEL] === identity);
    const names = new Set(desired.map((o) => `${o.kind}/${o.metadata.name}`));
    const live = identity === undefined ? m.live : m.live.filter((o) => o.metadata.labels?.[IDENTITY_LABEL] === identity || names.has(`${o.kind}/${o.metadata.name}`));
    return { cluster: m.cluster, diff: compareLive(desired, live) };
  });
}

/** Something differs, or could not be compared. */
export const anyDifference = (diffs: readonly MemberDiff[]): boolean => diffs.some((d) => d.diff === undefined || !liveDiffClean(d.diff));

export function renderDiffTable(diffs: readonly MemberDiff[]): string {
  const rows = diffs.flatMap(rowsOf);
  const inSync = diffs.reduce((n, d) => n + (d.diff?.inSync.length ?? 0), 0);
  const summary = `${inSync} object${inSync === 1 ? "" : "s"} in sync in ${diffs.length} member cluster${diffs.length === 1 ? "" : "s"}`;
  if (rows.length === 0) return `No differences: ${summary}.\n`;
  return `${renderTable(["CLUSTER", "KIND", "NAME", "STATE", "DETAIL"], rows)}\n${rows.filter((r) => r[0] !== "").length} difference(s); ${summary}.\n`;
}

function rowsOf(d: MemberDiff): string[][] {
  if (d.diff === undefined) return [[d.cluster, "", "", "unknown", d.error ?? ""]];
  const { missing, drifted, extra, conflicts } = d.diff;
  return [
    ...missing.map((o) => [d.cluster, o.kind, o.name, "missing", "desired, not in the cluster"]),
    ...drifted.flatMap((o) => o.fields.map((f, i) => (i === 0 ? [d.cluster, o.kind, o.name, "drifted", describeChange(f)] : ["", "", "", "", describeChange(f)]))),
    ...extra.map((o) => [d.cluster, o.kind, o.name, "extra", "Meridian's label, no longer desired"]),
    ...conflicts.map((o) => [d.cluster, o.kind, o.name, "conflict", "the name is taken by an object Meridian does not own"]),
  ];
}

/** For -o json|yaml. */
export function diffData(diffs: readonly MemberDiff[]): unknown {
  return {
    differs: anyDifference(diffs),
    clusters: diffs.map((d) => (d.diff === undefined ? { cluster: d.cluster, error: d.error } : { cluster: d.cluster, ...d.diff, inSync: d.diff.inSync.length })),
  };
}
