import type { KernelIncident, ZoneInfo } from '../../../model/kernel-incidents.js';

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

/** The incident's counter records made compact in place (the kinds that carry them). */
export function compactRecords(inc: KernelIncident): void {
  if ('memInfo' in inc && inc.memInfo) inc.memInfo = fastRecord(inc.memInfo);
  if ('zones' in inc) for (const z of inc.zones as ZoneInfo[]) z.counters = fastRecord(z.counters);
  if ('memInfoReport' in inc && inc.memInfoReport) for (const nd of inc.memInfoReport.nodes) nd.counters = fastRecord(nd.counters);
  if (inc.kind === 'oom_kill' && inc.memcgInfo) inc.memcgInfo.stats = fastRecord(inc.memcgInfo.stats);
}
