import type { Incident } from '../../model/incident.js';
import type { PsSnapshotIncident, TopSnapshotIncident } from '../../model/snapshot-incidents.js';

export type ProcessSnapshot = TopSnapshotIncident | PsSnapshotIncident;

/** Memory still easy to get in a top screen: free + buffers + cache (or "avail Mem"); null if not printed. */
export function headroomKb(s: ProcessSnapshot): number | null {
  if (s.kind !== 'top_snapshot') return null;
  const m = s.mem;
  if (m.availableKb != null) return m.availableKb;
  if (m.freeKb == null) return null;
  return m.freeKb + (m.buffersKb ?? 0) + (m.cachedKb ?? 0) + (m.buffCacheKb ?? 0);
}

export interface Ordered<T> {
  earlier: { index: number; inc: T };
  later: { index: number; inc: T };
  /** How the order was decided: by the printed clock, or by memory pressure (less headroom = later). */
  basis: 'time' | 'pressure';
}

/**
 * Orders two snapshots of one machine. A clock wins when both have one; otherwise the one with
 * less headroom is taken as the later, abnormal state (an assumption the finding must state).
 */
export function orderPair<T extends ProcessSnapshot>(a: { index: number; inc: T }, b: { index: number; inc: T }): Ordered<T> | null {
  if (a.inc.time && b.inc.time && a.inc.time !== b.inc.time) {
    return a.inc.time < b.inc.time ? { earlier: a, later: b, basis: 'time' } : { earlier: b, later: a, basis: 'time' };
  }
  if (a.inc.uptimeSec != null && b.inc.uptimeSec != null && a.inc.uptimeSec !== b.inc.uptimeSec) {
    return a.inc.uptimeSec < b.inc.uptimeSec ? { earlier: a, later: b, basis: 'time' } : { earlier: b, later: a, basis: 'time' };
  }
  const ha = headroomKb(a.inc); const hb = headroomKb(b.inc);
  if (ha == null || hb == null || ha === hb) return null;
  return ha > hb ? { earlier: a, later: b, basis: 'pressure' } : { earlier: b, later: a, basis: 'pressure' };
}

export function processSnapshots(incidents: readonly Incident[]): { index: number; inc: ProcessSnapshot }[] {
  const out: { index: number; inc: ProcessSnapshot }[] = [];
  incidents.forEach((inc, index) => { if (inc.kind === 'top_snapshot' || inc.kind === 'ps_snapshot') out.push({ index, inc }); });
  return out;
}
