// `meridian plan`'s answer: per member cluster what would be created, changed (field by field) and
// deleted, and the problems that would appear or disappear. Pure.
import { describeClusterChanges, PROBLEM_SEVERITY } from "../core/index.js";
import type { PlanChanges, Problem } from "../core/index.js";

export function renderPlanChanges(changes: PlanChanges): string {
  const clusters = changes.clusters.map((c) => `Cluster ${c.cluster}:\n${describeClusterChanges(c).map((line) => `  ${line}`).join("\n")}`);
  const appeared = problemSection("Problems that would appear", changes.problemsAppeared);
  const gone = problemSection("Problems that would disappear", changes.problemsDisappeared);
  return `${[...clusters, ...appeared, ...gone, summary(changes)].join("\n\n")}\n`;
}

function problemSection(title: string, problems: readonly Problem[]): string[] {
  if (problems.length === 0) return [];
  return [`${title}:\n${problems.map((p) => `  ${PROBLEM_SEVERITY[p.code]} ${p.code}: ${p.message}`).join("\n")}`];
}

function summary(changes: PlanChanges): string {
  const count = (pick: (c: PlanChanges["clusters"][number]) => readonly unknown[]): number => changes.clusters.reduce((n, c) => n + pick(c).length, 0);
  const created = count((c) => c.created);
  const changed = count((c) => c.changed);
  const deleted = count((c) => c.deleted);
  if (created + changed + deleted === 0 && changes.problemsAppeared.length + changes.problemsDisappeared.length === 0) {
    return "No changes: every member cluster keeps its ServiceEntries and DestinationRules, and no problem appears or disappears.";
  }
  const where = `${changes.clusters.length} cluster${changes.clusters.length === 1 ? "" : "s"}`;
  return `Plan: ${created} to create, ${changed} to change, ${deleted} to delete in ${where}; ${changes.problemsAppeared.length} new problem(s), ${changes.problemsDisappeared.length} resolved.`;
}
