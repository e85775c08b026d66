// An immutable map that is cheap to update one key at a time: a shared base plus a small delta.
// An update copies only the delta; once the delta grows past a bound it is folded into a new
// base, so lookups stay at two Map reads and copying stays amortised O(1) per update.

const MAX_DELTA = 256;

export interface LayeredMap<V> {
  readonly base: ReadonlyMap<string, V>;
  readonly delta: ReadonlyMap<string, V>;
}

export function layeredMap<V>(entries: ReadonlyMap<string, V>): LayeredMap<V> {
  return { base: entries, delta: new Map() };
}

export function layeredGet<V>(map: LayeredMap<V>, key: string): V | undefined {
  const delta = map.delta;
  return delta.size > 0 && delta.has(key) ? delta.get(key) : map.base.get(key);
}

export function layeredSet<V>(map: LayeredMap<V>, key: string, value: V): LayeredMap<V> {
  const delta = new Map(map.delta).set(key, value);
  if (delta.size <= MAX_DELTA) return { base: map.base, delta };
  const base = new Map(map.base);
  for (const [k, v] of delta) base.set(k, v);
  return { base, delta: new Map() };
}

export function layeredKeys<V>(map: LayeredMap<V>): Set<string> {
  const keys = new Set(map.base.keys());
  for (const key of map.delta.keys()) keys.add(key);
  return keys;
}
