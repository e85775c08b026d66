// Who calls whom: ServiceDependencies turned into edges found from either end.
import type { Dependency } from "./model.js";

export const WILDCARD = "*";

/** One declared "source calls destination" edge, seen from the destination. */
export interface DependentEdge {
  readonly source: string;
  /** Omitted: every env of the source. */
  readonly sourceEnv?: string;
  /** Omitted: every env of the destination. */
  readonly destinationEnv?: string;
  /** The edge came from a `*` destination: it does not narrow exportTo. */
  readonly wildcard: boolean;
}

export interface DependencyIndex {
  /** Dependencies by source identity. */
  readonly bySource: ReadonlyMap<string, readonly Dependency[]>;
  /** Explicit edges by destination identity. */
  readonly dependents: ReadonlyMap<string, readonly DependentEdge[]>;
  /** Edges of `*` destinations: they apply to every identity. */
  readonly wildcard: readonly DependentEdge[];
}

export function indexDependencies(dependencies: readonly Dependency[]): DependencyIndex {
  const bySource = new Map<string, Dependency[]>();
  const dependents = new Map<string, DependentEdge[]>();
  const wildcard: DependentEdge[] = [];
  for (const dep of dependencies) {
    push(bySource, dep.source.identity, dep);
    for (const dest of dep.destinations) {
      const edge = edgeOf(dep, dest.env, dest.identity === WILDCARD);
      if (edge.wildcard) wildcard.push(edge);
      else push(dependents, dest.identity, edge);
    }
  }
  return { bySource, dependents, wildcard };
}

function edgeOf(dep: Dependency, destinationEnv: string | undefined, wildcard: boolean): DependentEdge {
  const edge: { -readonly [K in keyof DependentEdge]: DependentEdge[K] } = { source: dep.source.identity, wildcard };
  if (dep.source.env !== undefined) edge.sourceEnv = dep.source.env;
  if (destinationEnv !== undefined) edge.destinationEnv = destinationEnv;
  return edge;
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Does the edge apply to env `env` of its destination? */
export const edgeMatchesDestinationEnv = (edge: DependentEdge, env: string): boolean =>
  edge.destinationEnv === undefined || edge.destinationEnv === env;

/** Does the edge apply to a workload of its source in env `env`? */
export const edgeMatchesSourceEnv = (edge: DependentEdge, env: string): boolean =>
  edge.sourceEnv === undefined || edge.sourceEnv === env;
