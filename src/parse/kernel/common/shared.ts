import { intern } from './intern.js';

/** Strings up to this long are shared (cgroup paths, program names, GFP flags); longer ones are rarely repeated. */
export const SHARED_CHARS = 64;

/** A short string's one shared copy (intern.ts); a longer one as it is. */
export function shortString<T extends string | null | undefined>(s: T): T {
  return typeof s === 'string' && s.length <= SHARED_CHARS ? (intern(s) as T) : s;
}

/** Short lists of short strings (a task table's columns, GFP flag names): one frozen copy each. */
const MAX_LISTS = 4096;
let lists = new Map<string, readonly string[]>();

/** The shared frozen copy of `v` when it is a short list of short strings, else null. */
export function sharedList(v: readonly unknown[]): unknown[] | null {
  if (v.length === 0 || v.length > 32) return null;
  for (const x of v) if (typeof x !== 'string' || x.length > SHARED_CHARS) return null;
  // Its strings joined by "\n" name it (cheaper than its JSON); a string holding a "\n" (never a
  // kernel line's) could make two lists look alike, so the list found is compared item by item.
  const key = (v as string[]).join('\n');
  let had = lists.get(key);
  if (had !== undefined && !sameItems(had, v)) had = undefined;
  if (!had) {
    if (lists.size >= MAX_LISTS) lists = new Map();
    // Frozen: a list several incidents share must not be changed through one of them.
    lists.set(key, (had = Object.freeze((v as string[]).map((x) => intern(x)))));
  }
  return had as unknown[];
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
