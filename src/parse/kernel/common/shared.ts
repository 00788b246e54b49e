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
  const key = JSON.stringify(v);
  let had = lists.get(key);
  if (!had) {
    if (lists.size >= MAX_LISTS) lists = new Map();
    // Frozen: a list several incidents share must not be changed through one of them.
    lists.set(key, (had = Object.freeze((v as string[]).map((x) => intern(x)))));
  }
  return had as unknown[];
}

/**
 * Counter records (memory.stat, Mem-Info, zone and node counters) are filled key by key with
 * computed names, and V8 turns such an object into a hash table once it passes ≈ 16 keys (the
 * soft limit for keyed stores), or at its first `delete`: a 40-counter memory.stat then costs
 * ≈ 1.6 KB per report. JSON.parse builds the same object with fast properties, and every object
 * with the same keys in the same order shares one hidden class (≈ 0.4 KB for 40 counters).
 * 50,000 memcg OOM reports hold 50,000 of them until the report is written (issue 10).
 *
 * Same keys, same order, same values, so the JSON written is the same bytes. A record holding a
 * value JSON cannot carry (Infinity from an absurdly long digit run) is kept as it is.
 */
export function fastRecord<T extends Record<string, number>>(rec: T): T {
  let n = 0;
  let names = '';
  for (const k in rec) {
    if (!Number.isFinite(rec[k])) return rec;
    if (k.includes('\n')) return JSON.parse(JSON.stringify(rec)) as T; // never a parser's name
    names += n === 0 ? k : '\n' + k;
    n++;
  }
  // A few keys stay fast anyway; the copy would cost more than it saves.
  if (n < 8) return rec;
  // Copied from a record of the same keys made once by JSON.parse (the spread keeps its fast
  // properties), then given this record's values: the text round trip for every record was a
  // third of the compaction's time (issue 10). Its keys joined by "\n" name the layout.
  let template = templates.get(names);
  if (template === undefined) {
    if (templates.size >= MAX_TEMPLATES) templates = new Map();
    template = JSON.parse(JSON.stringify(rec)) as Record<string, number>;
    templates.set(names, template);
  }
  const out: Record<string, number> = { ...template };
  for (const k in rec) out[k] = rec[k];
  return out as T;
}

/** Records' key lists seen (a kernel prints the same few layouts again and again), bounded. */
const MAX_TEMPLATES = 1024;
let templates = new Map<string, Record<string, number>>();
