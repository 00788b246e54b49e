/**
 * Names repeat across thousands of call traces and stacks (a flapping node's reports, its sysrq w
 * dumps): each is matched against the patterns once, its answer (null too) kept by the name. The
 * cache stops growing at `max` entries, answers past it are computed each time, so a long-running
 * library user cannot grow it without limit.
 */
export const MEMO_MAX = 100000;

export function memo<V>(cache: Map<string, V | null>, key: string, find: () => V | null, max = MEMO_MAX): V | null {
  let v = cache.get(key);
  if (v === undefined) {
    v = find();
    if (cache.size < max) cache.set(key, v);
  }
  return v;
}
