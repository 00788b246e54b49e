/**
 * Synthetic sample series for the pure detector's boundary tests (numbers only: no kernel text is
 * invented). Each segment says, per second, what share of time tasks stalled and how many major
 * faults happened; the builder integrates that into the cumulative counters the kernel exposes.
 */
import { emptyCounters, type GuardSample } from '../../src/guard/sample.js';

export interface Segment {
  seconds: number;
  some: number;
  full?: number;
  majorPerSec?: number;
  refaultsPerSec?: number;
  evictedPagesPerSec?: number;
  memAvailableKb?: number;
}

export function buildSeries(segments: Segment[], opts: { cgroup?: string; tickMs?: number; limitBytes?: number | null; extra?: { cgroup: string; segments: Segment[]; limitBytes?: number | null }[] } = {}): GuardSample[] {
  const tick = opts.tickMs ?? 100;
  const groups = [{ cgroup: opts.cgroup ?? '/lab', segments, limitBytes: opts.limitBytes === undefined ? 300 << 20 : opts.limitBytes }, ...(opts.extra ?? []).map((e) => ({ ...e, limitBytes: e.limitBytes === undefined ? null : e.limitBytes }))];
  const total = segments.reduce((a, s) => a + s.seconds, 0);
  const state = groups.map(() => ({ some: 0, full: 0, maj: 0, ref: 0 }));
  let evicted = 0;
  const out: GuardSample[] = [];
  for (let t = 0; t <= total * 1000 + 1e-9; t += tick) {
    // The counters at t grew by what the segment in force during (t - tick, t] says.
    const segAt = (segs: Segment[]) => {
      let acc = 0;
      for (const s of segs) {
        acc += s.seconds * 1000;
        if (t - tick < acc - 1e-9) return s;
      }
      return segs[segs.length - 1];
    };
    const sample: GuardSample = { tMs: 1_000_000 + t, wallMs: 1_700_000_000_000 + t, cgroups: [], protectedEvictedPages: null, memAvailableKb: null };
    groups.forEach((g, i) => {
      const s = segAt(g.segments);
      const st = state[i];
      if (t > 0) {
        st.some += s.some * tick * 1000;
        st.full += (s.full ?? 0) * tick * 1000;
        st.maj += ((s.majorPerSec ?? 0) * tick) / 1000;
        st.ref += ((s.refaultsPerSec ?? 0) * tick) / 1000;
        if (i === 0) evicted += ((s.evictedPagesPerSec ?? 0) * tick) / 1000;
      }
      const c = emptyCounters(g.cgroup, g.cgroup === '/' ? 'host' : 'hybrid');
      c.memSomeUs = Math.round(st.some);
      c.memFullUs = Math.round(st.full);
      c.pgmajfault = Math.floor(st.maj + 1e-9);
      c.refaultFile = Math.floor(st.ref);
      c.limitBytes = g.limitBytes;
      c.usageBytes = g.limitBytes;
      sample.cgroups.push(c);
      if (i === 0) {
        if (s.evictedPagesPerSec !== undefined) sample.protectedEvictedPages = Math.floor(evicted + 1e-9);
        sample.memAvailableKb = s.memAvailableKb ?? 20_000_000;
      }
    });
    out.push(sample);
  }
  return out;
}
