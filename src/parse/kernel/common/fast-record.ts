import type { KernelIncident, ZoneInfo } from '../../../model/kernel-incidents.js';
import { sharedList, shortString } from './shared.js';
import { fastRecord } from './records.js';
import { packFrames } from './packed-frames.js';
import { compactOom } from '../oom/compact.js';

// The counter records' fast copies (fastRecord) are made in records.ts, which oom/compact.ts uses too.
export { fastRecord } from './records.js';

/**
 * The incident made compact in place, once read: its counter records (the kinds that carry them),
 * its arrays and its short strings (trimmed, below). OOM reports, the most frequent, field by
 * field (oom/compact.ts); the others by the generic walk.
 */
export function compactRecords(inc: KernelIncident): void {
  if (inc.kind === 'oom_kill') compactOom(inc);
  else compactAny(inc);
}

/** The generic walk, for an incident of any kind (compactOom is checked against it). */
export function compactAny(inc: KernelIncident): void {
  if ('memInfo' in inc && inc.memInfo) inc.memInfo = fastRecord(inc.memInfo);
  if ('zones' in inc) for (const z of inc.zones as ZoneInfo[]) z.counters = fastRecord(z.counters);
  if ('memInfoReport' in inc && inc.memInfoReport) for (const nd of inc.memInfoReport.nodes) nd.counters = fastRecord(nd.counters);
  if (inc.kind === 'oom_kill' && inc.memcgInfo) inc.memcgInfo.stats = fastRecord(inc.memcgInfo.stats);
  trimmed(inc, new Map());
  packFrames(inc);
}

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
  if (typeof v === 'string') return shortString(v);
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
