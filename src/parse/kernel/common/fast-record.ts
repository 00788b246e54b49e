import type { KernelIncident, ZoneInfo } from '../../../model/kernel-incidents.js';
import { intern } from './intern.js';
import { packFrames } from './packed-frames.js';

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
  for (const k in rec) {
    if (!Number.isFinite(rec[k])) return rec;
    n++;
  }
  // A few keys stay fast anyway; the copy would cost more than it saves.
  return n < 8 ? rec : (JSON.parse(JSON.stringify(rec)) as T);
}

/**
 * The incident made compact in place, once read: its counter records (the kinds that carry them),
 * its arrays and its short strings (trimmed, below).
 */
export function compactRecords(inc: KernelIncident): void {
  if ('memInfo' in inc && inc.memInfo) inc.memInfo = fastRecord(inc.memInfo);
  if ('zones' in inc) for (const z of inc.zones as ZoneInfo[]) z.counters = fastRecord(z.counters);
  if ('memInfoReport' in inc && inc.memInfoReport) for (const nd of inc.memInfoReport.nodes) nd.counters = fastRecord(nd.counters);
  if (inc.kind === 'oom_kill' && inc.memcgInfo) inc.memcgInfo.stats = fastRecord(inc.memcgInfo.stats);
  trimmed(inc, new Map());
  packFrames(inc);
}

/** Strings up to this long are shared (cgroup paths, program names, GFP flags); longer ones are rarely repeated. */
const SHARED_CHARS = 64;
/** Values that differ from one report to the next: sharing them would only churn the table. */
const UNIQUE_KEYS = new Set(['time', 'timeText']);

/**
 * An array filled by push() keeps the room it grew into: a one-victim list or a one-row task
 * table holds 16 slots, a 17-frame trace 40 (≈ 0.9 KB a memcg OOM report over its ≈ 8 arrays).
 * Each array is replaced by an exact copy (slice keeps elements and order; the same array met
 * twice gets the same copy), and short strings by the one shared copy (intern.ts), so 50,000
 * reports of one cgroup hold its path once. Frozen objects (shared constants) are left alone.
 */
function trimmed(v: unknown, seen: Map<object, unknown>): unknown {
  if (typeof v === 'string') return v.length <= SHARED_CHARS ? intern(v) : v;
  if (v === null || typeof v !== 'object') return v;
  const had = seen.get(v);
  if (had !== undefined) return had;
  if (Array.isArray(v)) {
    const shared = sharedList(v);
    if (shared) { seen.set(v, shared); return shared; }
    const copy = v.slice();
    seen.set(v, copy);
    for (let i = 0; i < copy.length; i++) copy[i] = trimmed(copy[i], seen);
    return copy;
  }
  seen.set(v, v);
  if (Object.isFrozen(v)) return v;
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (x === null || (typeof x !== 'object' && typeof x !== 'string') || UNIQUE_KEYS.has(k)) continue;
    const t = trimmed(x, seen);
    // Strings compare by value: the shared copy is stored whatever `!==` says.
    if (t !== x || typeof x === 'string') o[k] = t;
  }
  return v;
}

/** Short lists of short strings (a task table's columns, GFP flag names): one frozen copy each. */
const MAX_LISTS = 4096;
let lists = new Map<string, readonly string[]>();

function sharedList(v: unknown[]): unknown[] | null {
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
