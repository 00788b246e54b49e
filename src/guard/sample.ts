/**
 * One tick of the guard: raw kernel counters as read, never rates. Rates are derived later from
 * deltas (detector/rates.ts), so a recorded series replays exactly and a missed tick only widens
 * a window. A counter a file did not have is null, never 0.
 */
export interface CgroupCounters {
  /** Path below the hierarchy root ("/mt-guard-lab"); "/" is the whole machine. */
  cgroup: string;
  /** Which files fed it: v1 memory controller, cgroup2, both (hybrid twin), or the host's /proc. */
  source: 'v1' | 'v2' | 'hybrid' | 'host';
  /** PSI memory `total=` of the some/full lines, µs (cgroup2 memory.pressure or /proc/pressure/memory). */
  memSomeUs: number | null;
  memFullUs: number | null;
  ioSomeUs: number | null;
  ioFullUs: number | null;
  /** memory.stat (v1: total_* hierarchical; v2: hierarchical by definition) or /proc/vmstat. */
  pgmajfault: number | null;
  refaultFile: number | null;
  anonBytes: number | null;
  fileBytes: number | null;
  /** vmstat-style scan/steal (v2 memory.stat and /proc/vmstat have them; v1 does not). */
  pgscan: number | null;
  pgsteal: number | null;
  usageBytes: number | null;
  /** null when unlimited. */
  limitBytes: number | null;
  /** Kernel OOM kills in this cgroup so far (memory.events oom_kill, v1 memory.oom_control oom_kill). */
  oomKills: number | null;
}

/** A process seen in a suspect cgroup; read off the hot path with a timeout (see pid-reader.ts). */
export interface ProcessCounters {
  pid: number;
  comm: string;
  cgroup: string;
  /** /proc/PID/stat field 22, clock ticks since boot: with pid, identifies the process across pid reuse. */
  startTicks: number | null;
  anonBytes: number | null;
  rssFileBytes: number | null;
  /** /proc/PID/io rchar: bytes read through read(2)-like calls (page cache or not); mmap faults are not in it. */
  rcharBytes: number | null;
  majflt: number | null;
  oomScoreAdj: number | null;
}

export interface GuardSample {
  /** Monotonic ms of the tick (rates use this). */
  tMs: number;
  /** Wall clock, ms since the epoch (for people). */
  wallMs: number;
  cgroups: CgroupCounters[];
  /** Sum of cachestat nr_recently_evicted over the protected daemons' binaries, pages; null when not measured. */
  protectedEvictedPages: number | null;
  /** Context only: the detector never decides on it. */
  memAvailableKb: number | null;
  /** Present on ticks where processes of suspect cgroups were sampled. */
  processes?: ProcessCounters[];
}

export const emptyCounters = (cgroup: string, source: CgroupCounters['source']): CgroupCounters => ({
  cgroup, source, memSomeUs: null, memFullUs: null, ioSomeUs: null, ioFullUs: null, pgmajfault: null, refaultFile: null,
  anonBytes: null, fileBytes: null, pgscan: null, pgsteal: null, usageBytes: null, limitBytes: null, oomKills: null,
});
