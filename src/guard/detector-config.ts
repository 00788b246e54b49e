/** What the thrash detector (detector.ts) is configured with and what it decides. */

/**
 * When a cgroup is thrashing. Defaults from storms measured on the development machine (issue 8):
 * under a thrash spiral a cgroup's 1-s memory stall went to 24–58 % within 200 ms with 33–84 major
 * faults/s; a streaming read gives refaults (800 k/s) but little stall and few major faults; PSI
 * avg10 lags 2–4 s behind, so ratios come from `total` deltas.
 */
export interface DetectorConfig {
  /** Window of the stall and fault rates. */
  windowMs: number;
  /** Confirmed path: 1-s `some` stall at or above this … */
  someRatio: number;
  /** … at every tick for this long … */
  holdMs: number;
  /** … and, over the held period, at least this many major faults per second … */
  majorFaultsPerSec: number;
  /** … or the protected daemons' binaries losing at least this many pages per second (cachestat recently evicted;
   *  16 pages = 64 KiB/s: a lone page now and then is ordinary reclaim, the code of a thrashed daemon goes by thousands). */
  evictedPagesPerSec: number;
  /** Unconfirmed path (no fault or eviction evidence): `some` at or above this, or `full` at or above the next, held severeHoldMs. */
  severeSomeRatio: number;
  severeFullRatio: number;
  severeHoldMs: number;
  /** A storm ends once the 1-s stall stayed under someRatio this long. */
  clearMs: number;
  /** After a storm ends (or after its action) no new decision for this long. */
  cooldownMs: number;
  /** A storm still going this long after its decision is decided again (the first action did not end it). */
  repeatMs: number;
  /** Samples kept (the bundle's series): time bound. */
  historyMs: number;
}

export const DEFAULT_DETECTOR: DetectorConfig = {
  windowMs: 1000, someRatio: 0.10, holdMs: 2000, majorFaultsPerSec: 10, evictedPagesPerSec: 16,
  severeSomeRatio: 0.40, severeFullRatio: 0.30, severeHoldMs: 5000, clearMs: 2000, cooldownMs: 10000, repeatMs: 30000,
  historyMs: 60000,
};

export type StormReason = 'stall-and-major-faults' | 'stall-and-protected-evictions' | 'severe-stall';

/** One decision: a storm in one cgroup, with the numbers it was taken on. */
export interface StormDecision {
  cgroup: string;
  tMs: number;
  wallMs: number;
  reason: StormReason;
  /** When the condition started holding (monotonic ms) and for how long it held. */
  sinceMs: number;
  heldMs: number;
  memSomeRatio1s: number | null;
  memFullRatio1s: number | null;
  /** Over the held period. */
  memSomeRatioHeld: number | null;
  majorFaultsPerSecHeld: number | null;
  refaultsPerSec: number | null;
  protectedEvictedPagesPerSec: number | null;
  usageBytes: number | null;
  limitBytes: number | null;
  /** Context only, never a reason. */
  memAvailableKb: number | null;
  /** Whether this decision repeats one for the same storm (repeatMs passed). */
  repeat: boolean;
  config: DetectorConfig;
}
