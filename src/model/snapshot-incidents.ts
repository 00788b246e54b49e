import type { IncidentBase, StackFrame } from './kernel-incidents.js';

/**
 * Incidents read from /proc snapshots, tool screens (top, pidstat, iostat…) and crash-utility
 * output, one interface per kind. Units are in the names; a value the input lacks is null.
 * `*Pages` stay pages: /proc files never print the page size, and rules convert with the one
 * the input implies.
 */
export interface SnapshotIncidentBase extends IncidentBase {
  /** Which section parser produced it ("meminfo", "slabtop", "busybox-top"…). */
  source: string;
}

/** Fields read from /proc/meminfo by name (memTotalKb…); every other key is in `counters`. */
export const MEMINFO_FIELDS = [
  'memTotalKb', 'memFreeKb', 'memAvailableKb', 'buffersKb', 'cachedKb', 'swapCachedKb', 'activeKb',
  'inactiveKb', 'activeAnonKb', 'inactiveAnonKb', 'activeFileKb', 'inactiveFileKb', 'unevictableKb',
  'mlockedKb', 'swapTotalKb', 'swapFreeKb', 'dirtyKb', 'writebackKb', 'anonPagesKb', 'mappedKb',
  'shmemKb', 'kReclaimableKb', 'slabKb', 'sReclaimableKb', 'sUnreclaimKb', 'kernelStackKb',
  'pageTablesKb', 'commitLimitKb', 'committedAsKb', 'vmallocTotalKb', 'vmallocUsedKb', 'percpuKb',
  'hardwareCorruptedKb', 'anonHugePagesKb', 'hugePagesTotal', 'hugePagesFree', 'hugePagesRsvd',
  'hugePagesSurp', 'hugepagesizeKb', 'hugetlbKb',
] as const;
export type MeminfoField = (typeof MEMINFO_FIELDS)[number];

export interface MeminfoSnapshotIncident extends SnapshotIncidentBase, Record<MeminfoField, number | null> {
  kind: 'meminfo_snapshot';
  /** The command line printed before it ("cat /proc/meminfo"), or null. */
  command: string | null;
  /** Every key, camelCased with its unit ("Active(anon)" → activeAnonKb, HugePages_Total → hugePagesTotal). */
  counters: Record<string, number>;
}

export interface SlabCache {
  name: string;
  objects: number | null;
  activeObjects: number | null;
  /** Exact in /proc/slabinfo; null from slabtop, which prints only KiB rounded to 2 decimals. */
  objSizeBytes: number | null;
  /** As slabtop prints it ("0.04K" → 0.04: 40 bytes rounded); objSizeBytes/1024 for slabinfo. */
  objSizeKb: number | null;
  slabs: number | null;
  objPerSlab: number | null;
  /** /proc/slabinfo only. */
  pagesPerSlab: number | null;
  /** slabtop's CACHE SIZE (slabs × pages per slab × its page size); null from slabinfo. */
  cacheSizeKb: number | null;
  /** slabinfo: num_slabs × pagesperslab; null from slabtop. */
  cacheSizePages: number | null;
  usePercent: number | null;
  line: number;
}

export interface SlabSnapshotIncident extends SnapshotIncidentBase {
  kind: 'slab_snapshot';
  /** slabtop's summary (null where the line is absent or garbled). */
  summary: {
    activeObjects: number | null; totalObjects: number | null;
    activeSlabs: number | null; totalSlabs: number | null;
    activeCaches: number | null; totalCaches: number | null;
    activeSizeKb: number | null; totalSizeKb: number | null;
  } | null;
  caches: SlabCache[];
}

export interface BuddyZone {
  node: number;
  zone: string;
  /** Free blocks per order (pagetypeinfo: summed over migrate types). */
  counts: number[];
  /** pagetypeinfo only: counts per migrate type ("Movable" → [...]). */
  byType: Record<string, number[]> | null;
  /** Σ counts[k] × 2^k. */
  freePages: number;
  largestFreeOrder: number | null;
  line: number;
}

export interface BuddySnapshotIncident extends SnapshotIncidentBase {
  kind: 'buddy_snapshot';
  zones: BuddyZone[];
  /** pagetypeinfo's "Page block order" / "Pages per block", else null. */
  pageBlockOrder: number | null;
  pagesPerBlock: number | null;
}

export interface ZoneinfoZone {
  node: number;
  zone: string;
  freePages: number | null; minPages: number | null; lowPages: number | null; highPages: number | null;
  boostPages: number | null; promoPages: number | null; spannedPages: number | null;
  presentPages: number | null; managedPages: number | null; cmaPages: number | null;
  /** lowmem_reserve, the "protection: (0, 3018, …)" line, in pages. */
  protectionPages: number[] | null;
  /** Every other "name value" line of the zone, as printed (nr_free_pages, numa_hit…). */
  counters: Record<string, number>;
  line: number;
}

export interface ZoneinfoSnapshotIncident extends SnapshotIncidentBase {
  kind: 'zoneinfo_snapshot';
  /** "per-node stats" blocks (kernel ≥ 4.8), counters as printed. */
  nodes: { node: number; counters: Record<string, number>; line: number }[];
  zones: ZoneinfoZone[];
  /** Σ "count:" of every pagesets block: free pages on per-CPU lists (not in MemFree); null when none printed. */
  pcpCountPages?: number | null;
}

export interface VmstatSnapshotIncident extends SnapshotIncidentBase {
  kind: 'vmstat_snapshot';
  /** /proc/vmstat as printed: nr_* are pages, the rest event counts since boot. */
  counters: Record<string, number>;
}

export interface PsiLine { avg10: number; avg60: number; avg300: number; totalUsec: number }
export interface PsiSnapshotIncident extends SnapshotIncidentBase {
  kind: 'psi_snapshot';
  /** From a "cat /proc/pressure/memory" line before it, else null (the file names no resource). */
  resource: string | null;
  some: PsiLine | null;
  full: PsiLine | null;
}

export interface ProcessRow {
  pid: number;
  ppid: number | null;
  user: string | null;
  /** STAT / S column as printed ("D", "SW<"). */
  stat: string | null;
  vszKb: number | null;
  /** As printed ("941m"), since busybox rounds large values to m/g. */
  vszText: string | null;
  rssKb: number | null;
  cpuPercent: number | null;
  memPercent: number | null;
  command: string;
  line: number;
}

export interface TopSnapshotIncident extends SnapshotIncidentBase {
  kind: 'top_snapshot';
  /** procps converts from KiB into the unit it prints (MiB with 1 decimal): kb values then carry its rounding. */
  memUnit: string | null;
  mem: {
    totalKb: number | null; usedKb: number | null; freeKb: number | null; sharedKb: number | null;
    buffersKb: number | null; cachedKb: number | null; buffCacheKb: number | null; availableKb: number | null;
    swapTotalKb: number | null; swapUsedKb: number | null; swapFreeKb: number | null;
  };
  cpu: {
    userPercent: number | null; systemPercent: number | null; nicePercent: number | null;
    idlePercent: number | null; iowaitPercent: number | null; irqPercent: number | null;
    softirqPercent: number | null; stealPercent: number | null;
  };
  load: { avg1: number; avg5: number; avg15: number } | null;
  processes: ProcessRow[];
  /** Lines of "..." where whoever pasted it cut rows out. */
  elidedLines: number;
}

export interface PsSnapshotIncident extends SnapshotIncidentBase {
  kind: 'ps_snapshot';
  columns: string[];
  processes: ProcessRow[];
}

/** sysstat's first line: "Linux 4.9.37 (OpenWrt)  03/15/22  _armv7l_  (2 CPU)". */
export interface SysstatHost {
  kernelVersion: string | null; host: string | null; dateText: string | null; arch: string | null; cpus: number | null;
}

export interface PidstatRow {
  pid: number; uid: number | null; command: string;
  cpuPercent: number | null; userPercent: number | null; systemPercent: number | null; waitPercent: number | null;
  cpu: number | null;
  readKbPerSec: number | null; writeKbPerSec: number | null; cancelledWriteKbPerSec: number | null; iodelayTicks: number | null;
  minorFaultsPerSec: number | null; majorFaultsPerSec: number | null; vszKb: number | null; rssKb: number | null; memPercent: number | null;
  /** Every column as printed ("%usr" → 0.61). */
  values: Record<string, number | null>;
  line: number;
}

/** One interval of a sysstat report: a header line and the rows under it ("Average:" rows too). */
export interface SysstatInterval<Row> {
  timeText: string | null;
  average: boolean;
  columns: string[];
  rows: Row[];
  line: number;
}

export interface PidstatSnapshotIncident extends SnapshotIncidentBase {
  kind: 'pidstat_snapshot';
  command: string | null;
  host: SysstatHost | null;
  /** Headers with no rows are real data: no task did that kind of work (pidstat -d in seed 002). */
  intervals: SysstatInterval<PidstatRow>[];
}

export interface MpstatRow {
  cpu: 'all' | number;
  userPercent: number | null; nicePercent: number | null; systemPercent: number | null; iowaitPercent: number | null;
  irqPercent: number | null; softirqPercent: number | null; stealPercent: number | null; idlePercent: number | null;
  values: Record<string, number | null>;
  line: number;
}

export interface MpstatSnapshotIncident extends SnapshotIncidentBase {
  kind: 'mpstat_snapshot';
  command: string | null;
  host: SysstatHost | null;
  intervals: SysstatInterval<MpstatRow>[];
}

export interface IostatDevice {
  device: string;
  readsPerSec: number | null; readKbPerSec: number | null; writesPerSec: number | null; writeKbPerSec: number | null;
  readAwaitMs: number | null; writeAwaitMs: number | null; awaitMs: number | null;
  queueSize: number | null; utilPercent: number | null;
  values: Record<string, number | null>;
  line: number;
}

export interface IostatSnapshotIncident extends SnapshotIncidentBase {
  kind: 'iostat_snapshot';
  command: string | null;
  host: SysstatHost | null;
  /** The first report averages since boot (unless the command had -y); later ones cover the interval. */
  intervals: { sinceBoot: boolean; avgCpu: Record<string, number | null> | null; columns: string[]; devices: IostatDevice[]; line: number }[];
}

export interface ResidencyFile {
  path: string; sizeBytes: number | null; pages: number | null; cachedPages: number | null; percent: number | null; line: number;
}

export interface PagecacheResidencyIncident extends SnapshotIncidentBase {
  kind: 'pagecache_residency';
  files: ResidencyFile[];
  /** vmtouch's "Resident Pages: 472/2139" summary; null for pcstat/hcache tables. */
  totals: { residentPages: number | null; totalPages: number | null; percent: number | null } | null;
}

// ---- crash utility -------------------------------------------------------------------------

/** "PID: 28627 TASK: ffff880003aecb00 CPU: 7 COMMAND: "top"" — crash's task header. */
/** `comm` is the task's COMMAND; incidents keep the crash command line that printed it in `command`. */
export interface CrashTask { pid: number | null; task: string | null; cpu: number | null; comm: string | null }

export interface CrashKmemRow { label: string; pages: number; sizeText: string; percent: number | null; percentOf: string | null; line: number }
export interface CrashKmemIncident extends SnapshotIncidentBase {
  kind: 'crash_kmem';
  rows: CrashKmemRow[];
  totalMemPages: number | null; freePages: number | null; usedPages: number | null; sharedPages: number | null;
  buffersPages: number | null; cachedPages: number | null; slabPages: number | null;
  totalSwapPages: number | null; swapUsedPages: number | null; commitLimitPages: number | null;
  committedPages: number | null; committedPercentOfLimit: number | null;
  /** Page size the rows imply (exact page counts against crash's rounded sizes), or null. */
  pageSizeKb: number | null;
}

export interface CrashPsTask extends CrashTask {
  state: string | null; ppid: number | null; memPercent: number | null; vszKb: number | null; rssKb: number | null;
  /** ps -l: last_run / timestamp in ns; null otherwise. */
  lastRunNs: number | null;
  /** ">" marks a task running on a CPU. */
  active: boolean;
  /** ps -t: "RUN TIME: 1 days, 05:04:31", START TIME / UTIME / STIME as printed (ticks or ns by version). */
  times: { runTimeText: string | null; startTime: number | null; utime: number | null; stime: number | null } | null;
  line: number;
}
export interface CrashPsIncident extends SnapshotIncidentBase {
  kind: 'crash_ps';
  command: string | null;
  /** The command piped through grep: the list is a selection. */
  filtered: boolean;
  tasks: CrashPsTask[];
}

export interface CrashFrame extends StackFrame { index: number; stackAddr: string | null; pc: string | null }
export interface CrashBtIncident extends SnapshotIncidentBase, CrashTask {
  kind: 'crash_bt';
  command: string | null;
  frames: CrashFrame[];
  /** "[exception RIP: filldir+99]" lines. */
  exceptionRips: { symbol: string; line: number }[];
}

export interface CrashSchedInfoIncident extends SnapshotIncidentBase, CrashTask {
  kind: 'crash_sched_info';
  command: string | null;
  pcount: number | null; runDelayNs: number | null; lastArrivalNs: number | null; lastQueuedNs: number | null;
}

export interface CrashStructField { path: string; value: string; number: number | null; line: number }
export interface CrashStructIncident extends SnapshotIncidentBase {
  kind: 'crash_struct';
  command: string | null;
  /** "inode.i_mutex" from "crash> inode.i_mutex 0x…", "signal" from "task -R signal". */
  expression: string | null;
  address: string | null;
  /** Set for "task -R" output. */
  task: CrashTask | null;
  /** Leaves with dotted paths through named levels ("i_mutex.count.counter" = "-124"). */
  fields: CrashStructField[];
}

export interface CrashCountIncident extends SnapshotIncidentBase {
  kind: 'crash_count';
  command: string;
  /** The number wc -l printed. */
  count: number;
  /** list -s prints one line per entry plus one per member: the entries that count stands for. */
  entries: number | null;
  /** "ps | grep UN" counts tasks in that state. */
  taskState: string | null;
}

export interface FdListingIncident extends SnapshotIncidentBase {
  kind: 'fd_listing';
  pid: number | null;
  fds: { fd: number; target: string; deleted: boolean; line: number }[];
  elidedLines: number;
}

// ---- tracing tools (bcc / perf-tools funccount, ftrace kprobe trace lines) -------------------

export interface FunccountRow { name: string; count: number; line: number }
export interface FunccountSnapshotIncident extends SnapshotIncidentBase {
  kind: 'funccount_snapshot';
  /** "./funccount 'nv*'", or null when the table was pasted without it. */
  command: string | null;
  /** The traced pattern, from the command line or the "Tracing … "nv*"" line ("nv*"); null when neither is present. */
  pattern: string | null;
  /** In printed order. perf-tools prints names in a 30-column field, so a 30-character name may be cut short. */
  functions: FunccountRow[];
}

/** One argument a probe printed ("arg1=0x20"), over every event that carried a number for it. */
export interface TraceArgStats {
  /** Exact while it stays within Number.MAX_SAFE_INTEGER; `exact` says so. */
  sum: number; min: number; max: number;
  /** Events whose value was a number (a "(fault)" value is not counted). */
  count: number;
  exact: boolean;
}

export interface TraceProbe {
  /** The event name ("myprobe", "mm_page_alloc"). */
  probe: string;
  /** kprobes: the probed function ("nvos_create_alloc" from "(nvos_create_alloc+0x0/0x1a0 [nvidia])"); null for tracepoints. */
  symbol: string | null;
  /** The module in brackets ("nvidia"), null for built-in symbols and tracepoints. */
  module: string | null;
  events: number;
  args: Record<string, TraceArgStats>;
  /** First line of this probe, for evidence. */
  line: number;
}

export interface TraceSnapshotIncident extends SnapshotIncidentBase {
  kind: 'trace_snapshot';
  /** "cat /sys/kernel/debug/tracing/trace_pipe" before the lines, or null. */
  command: string | null;
  /** Event lines read. */
  events: number;
  probes: TraceProbe[];
  /** Tasks by pid; comm is null where ftrace printed "<...>" (its saved-cmdlines table had lost the name). */
  tasks: { pid: number; comm: string | null; events: number }[];
  firstTimestampSec: number | null;
  lastTimestampSec: number | null;
  /** Someone cut lines out ("...", ".... 省略若干"): the events are an excerpt, sums cover only the lines present. */
  elided: boolean;
  /** The first such line, for evidence; null when nothing was cut. */
  elisionLine: number | null;
}

// ---- procps free / vmstat screens -------------------------------------------------------------

export interface FreeRow {
  /** "Mem", "Swap", "Total", "Low", "High", "-/+ buffers/cache". */
  label: string;
  /** KiB by header column ("buff/cache" → 237576); null where the row has no such column. */
  valuesKb: Record<string, number | null>;
  line: number;
}

export interface FreeSnapshotIncident extends SnapshotIncidentBase {
  kind: 'free_snapshot';
  command: string | null;
  /** The unit the numbers were printed in ("KiB" for free/free -k, "MiB" for -m, "B" for -b, "human" for -h). */
  unit: string;
  /** true when no command line said which unit: free's default (KiB) was assumed. */
  unitAssumed: boolean;
  /**
   * free -m/-g (and -h, --si…) print each value divided and truncated to whole units, so the Kb
   * values below are the printed number × the unit: up to one unit below the true value.
   */
  rounded: boolean;
  memTotalKb: number | null; memUsedKb: number | null; memFreeKb: number | null; memSharedKb: number | null;
  /** Old procps and free -w print buffers and cache(d) apart; procps-ng ≥ 3.3.10 prints buff/cache. */
  memBuffersKb: number | null; memCacheKb: number | null; memBuffCacheKb: number | null;
  /** procps-ng ≥ 3.3.10 only (MemAvailable). */
  memAvailableKb: number | null;
  swapTotalKb: number | null; swapUsedKb: number | null; swapFreeKb: number | null;
  columns: string[];
  rows: FreeRow[];
}

export interface VmstatToolRow {
  /** Every column by its header name as printed ("r", "free", "si", "wa"…). */
  values: Record<string, number | null>;
  /**
   * vmstat's first row reports si so bi bo in cs and the CPU split averaged since boot, not over
   * the interval; r b and the memory columns are instantaneous in every row.
   */
  sinceBoot: boolean;
  /** vmstat -t: "2026-11-22 18:00:01" as printed. */
  timeText: string | null;
  line: number;
}

export interface VmstatToolSnapshotIncident extends SnapshotIncidentBase {
  kind: 'vmstat_tool_snapshot';
  command: string | null;
  /** Memory columns (swpd free buff cache inact active) and si/so are in this many KiB (vmstat -S). */
  kbPerUnit: number;
  columns: string[];
  rows: VmstatToolRow[];
}

// ---- memory cgroup files -----------------------------------------------------------------------

export interface MemcgStatSnapshotIncident extends SnapshotIncidentBase {
  kind: 'memcg_stat_snapshot';
  /** "cat /sys/fs/cgroup/…/memory.stat" before it, or null. */
  command: string | null;
  /** 1: cache/rss/mapped_file/hierarchical_*; 2: anon/file/kernel_stack/sock… */
  version: 1 | 2;
  /** v1 rss / v2 anon, in bytes. */
  anonBytes: number | null;
  /** v1 cache / v2 file (both include shmem), bytes. */
  fileBytes: number | null;
  shmemBytes: number | null;
  /** v1 mapped_file / v2 file_mapped. */
  mappedFileBytes: number | null;
  /** v1 swap (usage) / v2 has no swap line in memory.stat (it is memory.swap.current). */
  swapBytes: number | null;
  /** v2 only: kernel_stack, slab, sock, pagetables. */
  kernelStackBytes: number | null; slabBytes: number | null; sockBytes: number | null; pageTablesBytes: number | null;
  /** v1 hierarchical_memory_limit / hierarchical_memsw_limit; "unlimited" prints as 9223372036854771712. */
  limitBytes: number | null;
  memswLimitBytes: number | null;
  pgmajfault: number | null;
  workingsetRefaultFile: number | null;
  /** Every line as printed (amounts are bytes, pg*, workingset_* and thp_* are event counts). */
  counters: Record<string, number>;
}

/** `sysctl -a` / `sysctl -p` lines: every key as printed, the overcommit ones as numbers. */
export interface SysctlSnapshotIncident extends SnapshotIncidentBase {
  kind: 'sysctl_snapshot';
  values: Record<string, string>;
  /** 0 heuristic, 1 always, 2 strict (CommitLimit enforced); null when not printed. */
  overcommitMemory: number | null;
  overcommitRatio: number | null;
  overcommitKbytes: number | null;
}

/** Programs' own "Cannot allocate memory" lines (no kernel report: the kernel said ENOMEM). */
export interface EnomemLinesIncident extends SnapshotIncidentBase {
  kind: 'enomem_lines';
  entries: { program: string | null; text: string; jvm: boolean; line: number }[];
}

export interface MemcgEventsSnapshotIncident extends SnapshotIncidentBase {
  kind: 'memcg_events_snapshot';
  command: string | null;
  /** memory.oom_control (v1) or memory.events (v2; memory.events.local has the same keys). */
  file: 'memory.oom_control' | 'memory.events';
  /** v1: oom_kill_disable 1 means tasks wait (hang) at the limit instead of being killed. */
  oomKillDisable: boolean | null;
  /** v1: under_oom 1 means the group is at its limit and in OOM now. */
  underOom: boolean | null;
  /** Kills in this group (v1 since 4.13, v2 since 4.13). */
  oomKill: number | null;
  /** v2: times the OOM killer was invoked; max: times usage hit memory.max; high: times over memory.high (throttled). */
  oom: number | null; max: number | null; high: number | null; low: number | null;
  oomGroupKill: number | null;
  counters: Record<string, number>;
}

/** guard/decision.json of a `memtriage guard` bundle: one storm decision with the numbers it was taken on. */
export interface GuardDecisionIncident extends SnapshotIncidentBase {
  kind: 'guard_decision';
  mode: string | null;
  /** "none" (dry-run), "hook", "kill", "kill_cgroup". */
  plannedAction: string | null;
  cgroup: string;
  /** "stall-and-major-faults", "stall-and-protected-evictions" or "severe-stall". */
  reason: string;
  heldMs: number | null;
  memSomePercent1s: number | null;
  memFullPercent1s: number | null;
  memSomePercentHeld: number | null;
  majorFaultsPerSecHeld: number | null;
  refaultsPerSec: number | null;
  protectedEvictedPagesPerSec: number | null;
  usageBytes: number | null;
  limitBytes: number | null;
  memAvailableKb: number | null;
  victim: { pid: number; comm: string; basis: string; why: string } | null;
  /** The thresholds in force (percentages as percent). */
  thresholds: { somePercent: number | null; holdMs: number | null; majorFaultsPerSec: number | null; severeSomePercent: number | null; severeFullPercent: number | null };
}

/** guard/samples.jsonl of a guard bundle (or a --record file): per-second rates of each cgroup. */
export interface GuardSeriesIncident extends SnapshotIncidentBase {
  kind: 'guard_series';
  samples: number;
  spanMs: number;
  cgroups: {
    cgroup: string;
    /** One point per ~1 s: offset from the first sample, memory stall %, major faults/s (null when not measured). */
    perSecond: { atS: number; memSomePercent: number | null; majorFaultsPerSec: number | null; refaultsPerSec: number | null }[];
    peakMemSomePercent: number | null;
    peakMajorFaultsPerSec: number | null;
  }[];
}

export type SnapshotIncident =
  | MeminfoSnapshotIncident | SlabSnapshotIncident | BuddySnapshotIncident | ZoneinfoSnapshotIncident
  | VmstatSnapshotIncident | PsiSnapshotIncident | TopSnapshotIncident | PsSnapshotIncident
  | PidstatSnapshotIncident | MpstatSnapshotIncident | IostatSnapshotIncident | PagecacheResidencyIncident
  | CrashKmemIncident | CrashPsIncident | CrashBtIncident | CrashSchedInfoIncident | CrashStructIncident
  | CrashCountIncident | FdListingIncident | FunccountSnapshotIncident | TraceSnapshotIncident
  | FreeSnapshotIncident | VmstatToolSnapshotIncident | MemcgStatSnapshotIncident | MemcgEventsSnapshotIncident
  | SysctlSnapshotIncident | EnomemLinesIncident
  | GuardDecisionIncident | GuardSeriesIncident;
