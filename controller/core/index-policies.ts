// TrafficPolicies by identity and env, with the conflict rule applied once:
// an env-specific policy overrides an env-less one for its env (no problem: that is layering);
// two policies for the same identity and the same env (or both env-less) conflict: the one created
// first wins, then the one whose namespace/name sorts first; both get a PolicyConflict problem.
import { compareKeys } from "./compare.js";
import type { Problem, TrafficPolicy } from "./model.js";
import { describeRef, problem } from "./problems.js";

/** Key of env-less policies (envs are DNS labels, so this never clashes). */
const EVERY_ENV = "*";

export interface IdentityPolicies {
  /** The winning policy per env, and under `*` the env-less one. */
  readonly winners: ReadonlyMap<string, TrafficPolicy>;
  /** All policies of the identity, sorted by reference. */
  readonly policies: readonly TrafficPolicy[];
  readonly conflicts: readonly Problem[];
}

export type PolicyIndex = ReadonlyMap<string, IdentityPolicies>;

/** `policies` must be sorted by reference and free of duplicates. */
export function indexPolicies(policies: readonly TrafficPolicy[]): PolicyIndex {
  const groups = new Map<string, Map<string, TrafficPolicy[]>>();
  for (const p of policies) {
    const byEnv = groups.get(p.identity) ?? new Map<string, TrafficPolicy[]>();
    groups.set(p.identity, byEnv);
    const envKey = p.env ?? EVERY_ENV;
    byEnv.set(envKey, [...(byEnv.get(envKey) ?? []), p]);
  }
  const index = new Map<string, IdentityPolicies>();
  for (const [identity, byEnv] of groups) index.set(identity, resolveIdentity(byEnv));
  return index;
}

function resolveIdentity(byEnv: Map<string, TrafficPolicy[]>): IdentityPolicies {
  const winners = new Map<string, TrafficPolicy>();
  const conflicts: Problem[] = [];
  const all: TrafficPolicy[] = [];
  for (const [envKey, group] of byEnv) {
    const ranked = [...group].sort(precedence);
    const [winner, ...losers] = ranked;
    if (winner === undefined) continue;
    winners.set(envKey, winner);
    all.push(...group);
    for (const loser of losers) conflicts.push(...conflictProblems(winner, loser));
  }
  return { winners, policies: all, conflicts };
}

/** The policy that applies to one env of an identity, if any. */
export function policyFor(policies: IdentityPolicies | undefined, env: string): TrafficPolicy | undefined {
  return policies?.winners.get(env) ?? policies?.winners.get(EVERY_ENV);
}

function createdAtMillis(p: TrafficPolicy): number {
  const ms = Date.parse(p.createdAt);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

function precedence(a: TrafficPolicy, b: TrafficPolicy): number {
  const byTime = createdAtMillis(a) - createdAtMillis(b);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return compareKeys([a.ref.namespace ?? "", a.ref.name], [b.ref.namespace ?? "", b.ref.name]);
}

function conflictProblems(winner: TrafficPolicy, loser: TrafficPolicy): Problem[] {
  const scope = `identity ${winner.identity}, ${winner.env === undefined ? "every env" : `env ${winner.env}`}`;
  const why = createdAtMillis(winner) < createdAtMillis(loser)
    ? `it was created first (${winner.createdAt} before ${loser.createdAt})`
    : `both have createdAt ${winner.createdAt} and its namespace/name sorts first`;
  const w = describeRef(winner.ref);
  const l = describeRef(loser.ref);
  return [
    problem("PolicyConflict", winner.ref, `${w} and ${l} both set the policy for ${scope}; ${w} applies because ${why}`),
    problem("PolicyConflict", loser.ref, `${l} is ignored for ${scope}: ${w} applies because ${why}`),
  ];
}
