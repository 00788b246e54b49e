import type { CgroupCounters, GuardSample } from './sample.js';

/**
 * Rates over a window, from two samples' counters. PSI `total` is cumulative stall time in µs, so
 * (Δtotal µs) / (Δt µs) is the share of the window in which tasks stalled: exact over any window,
 * unlike avg10, which the kernel updates every 2 s and smooths over 10 s (too slow to decide on).
 * A counter that is null on either side, or went backwards (cgroup removed and re-created), gives null.
 */
export interface WindowRates {
  spanMs: number;
  memSomeRatio: number | null;
  memFullRatio: number | null;
  ioSomeRatio: number | null;
  majorFaultsPerSec: number | null;
  refaultsPerSec: number | null;
  pgscanPerSec: number | null;
  anonGrowthBytesPerSec: number | null;
}

function delta(a: number | null, b: number | null): number | null {
  if (a == null || b == null || b < a) return null;
  return b - a;
}

export function windowRates(older: CgroupCounters, newer: CgroupCounters, spanMs: number): WindowRates {
  const perSec = (d: number | null) => (d == null || spanMs <= 0 ? null : (d * 1000) / spanMs);
  const ratio = (d: number | null) => (d == null || spanMs <= 0 ? null : Math.min(1, d / (spanMs * 1000)));
  const anon = older.anonBytes != null && newer.anonBytes != null && spanMs > 0 ? ((newer.anonBytes - older.anonBytes) * 1000) / spanMs : null;
  return {
    spanMs,
    memSomeRatio: ratio(delta(older.memSomeUs, newer.memSomeUs)),
    memFullRatio: ratio(delta(older.memFullUs, newer.memFullUs)),
    ioSomeRatio: ratio(delta(older.ioSomeUs, newer.ioSomeUs)),
    majorFaultsPerSec: perSec(delta(older.pgmajfault, newer.pgmajfault)),
    refaultsPerSec: perSec(delta(older.refaultFile, newer.refaultFile)),
    pgscanPerSec: perSec(delta(older.pgscan, newer.pgscan)),
    anonGrowthBytesPerSec: anon,
  };
}

/**
 * The last `historyMs` of samples, bounded by time and by count (a clock that jumps cannot make it
 * grow). Lookups by cgroup go through a per-sample map built once.
 */
export class SampleRing {
  private readonly items: { s: GuardSample; byCgroup: Map<string, CgroupCounters> }[] = [];
  constructor(readonly historyMs: number, readonly maxItems: number) {}

  push(s: GuardSample): void {
    this.items.push({ s, byCgroup: new Map(s.cgroups.map((c) => [c.cgroup, c])) });
    while (this.items.length > this.maxItems || (this.items.length > 1 && s.tMs - this.items[0].s.tMs > this.historyMs)) this.items.shift();
  }

  samples(): GuardSample[] {
    return this.items.map((i) => i.s);
  }

  latest(): GuardSample | null {
    return this.items.at(-1)?.s ?? null;
  }

  /**
   * Index of the newest sample at least `ms` older than the latest, or -1. Binary search: samples
   * are in time order, and this runs for every cgroup on every tick (the 10-s view looks 100 back).
   */
  private indexBefore(ms: number): number {
    const n = this.items.length;
    if (n < 2) return -1;
    const limit = this.items[n - 1].s.tMs - ms;
    let lo = 0;
    let hi = n - 2;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid].s.tMs <= limit) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  /** The newest sample at least `ms` older than the latest one that has this cgroup, with its counters. */
  before(cgroup: string, ms: number): { tMs: number; c: CgroupCounters } | null {
    const i = this.indexBefore(ms);
    if (i < 0) return null;
    const it = this.items[i];
    const c = it.byCgroup.get(cgroup);
    return c ? { tMs: it.s.tMs, c } : null;
  }

  /** Rates of one cgroup over (about) the last `ms`; null until that much history exists. */
  rates(cgroup: string, ms: number): WindowRates | null {
    const last = this.items.at(-1);
    const now = last?.byCgroup.get(cgroup);
    const old = this.before(cgroup, ms);
    if (!last || !now || !old) return null;
    return windowRates(old.c, now, last.s.tMs - old.tMs);
  }

  /** Growth of the protected binaries' recently-evicted pages per second over the last `ms`. */
  evictedPagesPerSec(ms: number): number | null {
    const last = this.items.at(-1);
    if (!last || last.s.protectedEvictedPages == null) return null;
    const i = this.indexBefore(ms);
    if (i < 0) return null;
    const it = this.items[i];
    if (it.s.protectedEvictedPages == null) return null;
    return Math.max(0, ((last.s.protectedEvictedPages - it.s.protectedEvictedPages) * 1000) / (last.s.tMs - it.s.tMs));
  }
}
