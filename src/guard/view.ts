/**
 * What the guard shows the outside world after every sampling tick: metrics exporters, --status, hooks.
 * Plain data only. Fields may be ADDED, never renamed or removed (the metrics module reads them).
 */
export interface CgroupPressureView {
  /** Path below the hierarchy root ("/kubepods/pod1"), "/" for the whole machine. */
  cgroup: string;
  /** Share of the last 1 s in which some task of the cgroup stalled on memory (0..1), from PSI `total` deltas. */
  memSomeRatio1s: number | null;
  memFullRatio1s: number | null;
  /** The same over the last 10 s. */
  memSomeRatio10s: number | null;
  memFullRatio10s: number | null;
  majorFaultsPerSec: number | null;
  /** workingset refaults (file) per second. */
  refaultsPerSec: number | null;
  /** The guard's state for this cgroup. */
  state: 'quiet' | 'suspect' | 'storm' | 'cooldown';
}

export interface GuardView {
  /** Wall clock of the tick, ms since the epoch. */
  atMs: number;
  mode: 'dry-run' | 'warn' | 'kill';
  cgroups: CgroupPressureView[];
  /** Storms detected since start. */
  detectionsTotal: number;
  /** Actions taken since start, by kind: "bundle", "hook", "kill", "kill_cgroup". */
  actionsTotal: Record<string, number>;
  /** Bytes the guard holds mlocked for --lock-critical; null when that is off. */
  lockedBytes: number | null;
}

/** Called by the guard after each tick; must not throw or block. */
export type GuardObserver = (view: GuardView) => void;
