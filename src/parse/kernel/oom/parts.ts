// The parts of an OOM report's incident (oom/kind.ts): who asked, who was killed, the task table,
// the cgroup, the slab table.

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
