import type { KernelInfo } from './common.js';

/** Fields every incident has. `line`/`endLine` are 1-based lines of its input. */
export interface IncidentBase {
  kind: string;
  input: number;
  line: number;
  endLine: number;
  /** Wall clock as ISO 8601 (no zone unless the log printed one) when the log has it with a year, else null. */
  time: string | null;
  /** The wall-clock text as printed ("Jun 12 03:24:24"), also when its year is unknown; null if none. */
  timeText: string | null;
  /** Kernel timestamp (seconds since boot) when present, else null. */
  uptimeSec: number | null;
  /** True when the report was cut off (input ended or another report began before its last line). */
  partial: boolean;
  /**
   * Other places the same record was printed (the console copy and the syslog copy of one OOM,
   * `dmesg` typed on a serial console): merged into this incident, their lines kept as evidence.
   * Absent when the record was seen once.
   */
  copies?: { input: number; line: number; endLine: number }[];
  /**
   * "wall": read from a wall broadcast of the record (rsyslog's `*.emerg :omusrmsg:*` echo on a
   * terminal: one line, a copy of a record the kernel log holds). Absent otherwise.
   */
  echo?: 'wall';
}

/** One frame of a call trace, any architecture's spelling. */
export interface StackFrame {
  fn: string;
  /** "+0x23/0x50" as printed, or null. */
  offset: string | null;
  /** Module in brackets after the frame ("nvme"), or null for built-in code. */
  module: string | null;
  /** Printed with a leading "?": the unwinder was not sure this frame is real. */
  unreliable: boolean;
  line: number;
}

export interface ZoneInfo {
  node: number;
  zone: string;
  freeKb: number | null;
  minKb: number | null;
  lowKb: number | null;
  highKb: number | null;
  managedKb: number | null;
  presentKb: number | null;
  /** free below min: the allocator may not use this zone except for atomic/reserve requests. */
  belowMin: boolean | null;
  /** lowmem_reserve[] printed after the zone line, in pages; null when absent. */
  lowmemReservePages: number[] | null;
  /** Every other key:value counter of the zone line, unit in the name (activeAnonKb, pagesScanned). */
  counters: Record<string, number>;
  buddy: BuddyInfo | null;
  line: number;
}

export interface BuddyInfo {
  /** Free blocks per order, 0..N. */
  counts: number[];
  /** Migrate-type letters printed per order ("UMEH"), null where none printed. */
  types: (string | null)[];
  /** Highest order with at least one free block; null when every count is 0. */
  largestFreeOrder: number | null;
  totalKb: number | null;
  line: number;
}

export interface NodeInfo {
  node: number;
  counters: Record<string, number>;
  allUnreclaimable: boolean | null;
  line: number;
}

/** The `Mem-Info:` section and what follows it (nodes, zones, buddy lists, totals). */
/**
 * What the `Mem-Info:` section says besides its counters and zones, which the incident carries
 * itself (`memInfo`, `zones`: one copy each, in the model and in the JSON).
 */
export interface MemInfoReport {
  nodes: NodeInfo[];
  hugepages: { node: number; totalPages: number; freePages: number; surplusPages: number; sizeKb: number; line: number }[];
  totalPagecachePages: number | null;
  swapCachePages: number | null;
  freeSwapKb: number | null;
  totalSwapKb: number | null;
  ramPages: number | null;
  highMemPages: number | null;
  reservedPages: number | null;
  cmaReservedPages: number | null;
  hwpoisonedPages: number | null;
  /** Page size the report implies (from its buddy lists), or null when it cannot be told. */
  pageSizeKb: number | null;
  line: number;
}

export interface Trigger {
  comm: string | null;
  pid: number | null;
  gfpMask: string | null;
  gfpFlags: string[] | null;
  /** True when the log printed the mask bare and gfpFlags come from that kernel version's gfp table. */
  gfpFlagsDecoded?: boolean;
  order: number | null;
  oomScoreAdj: number | null;
  /** 2.6-era oom_adj, when printed. */
  oomAdj?: number | null;
  nodemask: string | null;
  line: number | null;
}

export interface Victim {
  pid: number | null;
  comm: string | null;
  totalVmKb: number | null;
  anonRssKb: number | null;
  fileRssKb: number | null;
  shmemRssKb: number | null;
  pgtablesKb: number | null;
  uid: number | null;
  oomScoreAdj: number | null;
  score: number | null;
  /** oom_reaper's later line for this pid, when seen. */
  reaped: { anonRssKb: number | null; fileRssKb: number | null; shmemRssKb: number | null; line: number } | null;
  line: number | null;
}

export interface TaskRow {
  pid: number;
  uid: number | null;
  tgid: number | null;
  totalVmPages: number | null;
  rssPages: number | null;
  rssAnonPages: number | null;
  rssFilePages: number | null;
  rssShmemPages: number | null;
  pgtablesBytes: number | null;
  nrPtes: number | null;
  swapEntries: number | null;
  oomAdj: number | null;
  oomScoreAdj: number | null;
  comm: string;
  line: number;
}

export interface ProcessTable {
  rows: number;
  sumRssPages: number;
  /** Largest rows by rss, biggest first (at most 10). */
  top: { pid: number; comm: string; rssPages: number | null; oomScoreAdj: number | null }[];
  /** Column names as printed in the header. */
  columns: string[];
  /** Every row; kept for rules (unkillable tasks, repeated names). */
  all: TaskRow[];
  line: number;
  /**
   * True when the table's header line was not in the input (a paste or `grep -A` that starts at a
   * row): the columns were told from the number of fields; "?" marks one layouts disagree on.
   */
  headerless?: boolean;
}

export interface MemcgInfo {
  /** "memory" / "memory+swap" / "kmem" lines of cgroup v1 reports. */
  counters: { name: string; usageKb: number | null; limitKb: number | null; failcnt: number | null; line: number }[];
  /** "Task in /a killed as a result of limit of /b" (cgroup v1, kernels before 4.19). */
  taskIn: string | null;
  limitOf: string | null;
  /** The memcg stat dump after "Memory cgroup stats for /x:", unit in the name. */
  stats: Record<string, number>;
  statsFor: string | null;
}

/** One row of the OOM report's "Unreclaimable slab info:" table. */
export interface SlabUsage { name: string; usedKb: number; totalKb: number; line: number }

export interface OomKillIncident extends IncidentBase {
  kind: 'oom_kill';
  kernel: KernelInfo;
  trigger: Trigger;
  /** CONSTRAINT_NONE, CONSTRAINT_MEMCG… from the oom-kill: line, or null when the log has none. */
  constraint: string | null;
  /** oom_memcg path for a cgroup OOM (or the v1 "limit of" path), else null. */
  memcg: string | null;
  taskMemcg: string | null;
  /** True for "Memory cgroup out of memory" / CONSTRAINT_MEMCG reports. */
  cgroupOom: boolean;
  victim: Victim;
  /**
   * Every process this OOM event killed, the victim first. More than one when the cgroup has
   * memory.oom.group set: the kernel then kills the whole group ("Tasks in /grp are going to be
   * killed due to memory.oom.group set"), one "Killed process" line each; a pid printed twice is listed once.
   */
  victims: Victim[];
  /**
   * Triggered by hand (sysrq f, "Manual OOM execution"; the header says order=-1): a person or a
   * watchdog asked the kernel to kill, memory need not have run out.
   */
  manual: boolean;
  /** The cgroup whose memory.oom.group made the kernel kill all its tasks, else null. */
  oomGroup: string | null;
  /** "kill" when a process was killed; "panic" when vm.panic_on_oom made the kernel panic instead. */
  outcome?: 'kill' | 'panic';
  memInfo: Record<string, number> | null;
  memInfoReport: MemInfoReport | null;
  zones: ZoneInfo[];
  processTable: ProcessTable | null;
  memcgInfo: MemcgInfo | null;
  /** The "Unreclaimable slab info:" table (4.15+), largest first; null when the report has none. */
  unreclaimableSlab?: SlabUsage[] | null;
  callTrace: StackFrame[];
  hardware: string | null;
  pageSizeKb: number | null;
}

export interface PageAllocFailureIncident extends IncidentBase {
  kind: 'page_alloc_failure';
  comm: string | null;
  pid: number | null;
  order: number | null;
  gfpMask: string | null;
  gfpFlags: string[] | null;
  /** True when the log printed the mode bare and gfpFlags come from that kernel version's gfp table. */
  gfpFlagsDecoded?: boolean;
  nodemask: string | null;
  /** "page allocation failure", "vmemmap alloc failure", "vmalloc error" or "vmalloc allocation failure". */
  variant: string;
  /** vmalloc failures: the size asked for, in bytes, else absent/null. */
  sizeBytes?: number | null;
  /** vmalloc failures: why, as printed ("exceeds total pages", "page order 0, failed to allocate pages"). */
  reason?: string | null;
  kernel: KernelInfo;
  callTrace: StackFrame[];
  memInfo: Record<string, number> | null;
  memInfoReport: MemInfoReport | null;
  zones: ZoneInfo[];
  /** Line of the Mem-Info attached to this failure (it may be printed apart from the header). */
  memInfoLine: number | null;
}

export interface HungTaskIncident extends IncidentBase {
  kind: 'hung_task';
  comm: string;
  pid: number;
  seconds: number;
  state: string | null;
  kernel: KernelInfo;
  callTrace: StackFrame[];
}

export interface SoftLockupIncident extends IncidentBase {
  kind: 'soft_lockup';
  cpu: number;
  seconds: number;
  comm: string;
  pid: number;
  kernel: KernelInfo;
  callTrace: StackFrame[];
}

export interface RcuStallIncident extends IncidentBase {
  kind: 'rcu_stall';
  flavor: string | null;
  /** An expedited grace period stalled ("detected expedited stalls"): synchronize_rcu_expedited() callers wait. */
  expedited: boolean;
  cpus: number[];
  kernel: KernelInfo;
  callTrace: StackFrame[];
}

/** WARNING:, BUG:, Oops and Kernel panic reports share one shape. */
export interface KernelErrorIncident extends IncidentBase {
  kind: 'warning' | 'bug' | 'oops' | 'panic';
  message: string;
  /** Source location of a WARNING ("kernel/time/timer.c:898") or null. */
  location: string | null;
  /** Function the error happened in ("mod_timer"), from the WARNING/RIP/PC line, or null. */
  function: string | null;
  comm: string | null;
  pid: number | null;
  kernel: KernelInfo;
  /** Modules linked in, with their taint flags when printed ("nvidia(POE)" → {name, flags:"POE"}). */
  modules: { name: string; flags: string | null }[] | null;
  callTrace: StackFrame[];
  /** Frames printed between <IRQ> and </IRQ>. */
  irqFrames: number;
}

/** A task's stack in a sysrq w/l/t dump. */
export interface TaskStack {
  comm: string;
  pid: number | null;
  state: string | null;
  cpu: number | null;
  /** For NMI backtraces: the PC function ("shrink_page_list"). */
  pc: string | null;
  frames: StackFrame[];
  line: number;
}

export interface SysrqIncident extends IncidentBase {
  kind: 'sysrq_backtrace' | 'sysrq_blocked' | 'sysrq_show_mem' | 'sysrq_show_state' | 'show_mem';
  command: string;
  tasks: TaskStack[];
  memInfo: Record<string, number> | null;
  memInfoReport: MemInfoReport | null;
  zones: ZoneInfo[];
  kernel: KernelInfo | null;
}

export type KernelIncident =
  | OomKillIncident
  | PageAllocFailureIncident
  | HungTaskIncident
  | SoftLockupIncident
  | RcuStallIncident
  | KernelErrorIncident
  | SysrqIncident;
