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

/** Share of a window of spanMs stalled, from two PSI `total`s (µs); what the detector decides on every tick. */
export function stallRatio(older: number | null, newer: number | null, spanMs: number): number | null {
  if (older == null || newer == null || newer < older || spanMs <= 0) return null;
  return Math.min(1, (newer - older) / (spanMs * 1000));
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

/** A sample's counters of one cgroup: at `pos` first (cgroups keep their order from tick to tick), else searched. */
function countersOf(s: GuardSample, cgroup: string, pos: number): CgroupCounters | null {
  const c = s.cgroups[pos];
  if (c !== undefined && c.cgroup === cgroup) return c;
  for (const x of s.cgroups) if (x.cgroup === cgroup) return x;
  return null;
}

/**
 * The last `historyMs` of samples, bounded by time and by count (a clock that jumps cannot make it
 * grow). Runs on every tick for every cgroup, so nothing is built per sample: a cgroup's counters
 * are found at the position it had in the newest sample, and one step of the detector looks the
 * window's start up once (indexBefore) for all its cgroups.
 */
export class SampleRing {
  private readonly items: GuardSample[] = [];
  constructor(readonly historyMs: number, readonly maxItems: number) {}

  push(s: GuardSample): void {
    this.items.push(s);
    while (this.items.length > this.maxItems || (this.items.length > 1 && s.tMs - this.items[0].tMs > this.historyMs)) this.items.shift();
  }

  samples(): GuardSample[] {
    return this.items.slice();
  }

  latest(): GuardSample | null {
    return this.items.at(-1) ?? null;
  }

  /**
   * Index of the newest sample at least `ms` older than the latest, or -1. Binary search: samples
   * are in time order (the 10-s view looks 100 back).
   */
  indexBefore(ms: number): number {
    const n = this.items.length;
    if (n < 2) return -1;
    const limit = this.items[n - 1].tMs - ms;
    let lo = 0;
    let hi = n - 2;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid].tMs <= limit) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  /** The newest sample at least `ms` older than the latest one that has this cgroup, with its counters. */
  before(cgroup: string, ms: number): { tMs: number; c: CgroupCounters } | null {
    const i = this.indexBefore(ms);
    if (i < 0) return null;
    const s = this.items[i];
    const c = countersOf(s, cgroup, 0);
    return c ? { tMs: s.tMs, c } : null;
  }

  /** Rates of one cgroup over (about) the last `ms`; null until that much history exists. */
  rates(cgroup: string, ms: number): WindowRates | null {
    return this.ratesSince(this.indexBefore(ms), cgroup, 0);
  }

  /** Sample `i` (an indexBefore) and its counters of one cgroup, probably at `pos`; null when absent. */
  at(i: number, cgroup: string, pos: number): { tMs: number; c: CgroupCounters } | null {
    const s = i >= 0 ? this.items[i] : undefined;
    const c = s ? countersOf(s, cgroup, pos) : null;
    return s && c ? { tMs: s.tMs, c } : null;
  }

  /** Rates of one cgroup from sample `i` (an indexBefore) to the latest; `pos` is where the cgroup probably is in a sample. */
  ratesSince(i: number, cgroup: string, pos: number): WindowRates | null {
    if (i < 0) return null;
    const last = this.items[this.items.length - 1];
    const now = countersOf(last, cgroup, pos);
    const old = now ? countersOf(this.items[i], cgroup, pos) : null;
    if (!now || !old) return null;
    return windowRates(old, now, last.tMs - this.items[i].tMs);
  }

  /** Growth of the protected binaries' recently-evicted pages per second over the last `ms`. */
  evictedPagesPerSec(ms: number): number | null {
    return this.evictedPagesPerSecSince(this.indexBefore(ms));
  }

  evictedPagesPerSecSince(i: number): number | null {
    const last = this.items.at(-1);
    if (!last || last.protectedEvictedPages == null || i < 0) return null;
    const it = this.items[i];
    if (it.protectedEvictedPages == null) return null;
    return Math.max(0, ((last.protectedEvictedPages - it.protectedEvictedPages) * 1000) / (last.tMs - it.tMs));
  }
}
