import type { ProcessCounters } from './sample.js';

/**
 * Who to kill in a thrashing cgroup. Pure: the process snapshots the guard took while the cgroup
 * was under pressure in, a ranked list with reasons out. The rank is what the process did over the
 * last seconds — anonymous memory it grew (it cannot be evicted without swap, so it is what pushes
 * everyone's file pages out) plus page cache it read through read(2) (a streaming job can push
 * code pages out too) — not its size and never oom_score alone: in the lab the daemon being thrashed
 * has the larger RSS (its mapped files), and killing it ends nothing. Only when nobody was active
 * does the largest anonymous memory (RssAnon, not file pages) decide.
 */
export interface PolicyConfig {
  /** Process names (comm), cgroup paths ("/system.slice") or units ("sshd.service") never killed. */
  protect: string[];
  /** Ranked first / last when eligible (regular expressions over comm). */
  prefer: RegExp | null;
  avoid: RegExp | null;
  /** Window over which growth and reads are measured. */
  windowMs: number;
  /** Weight of a byte read through the page cache against a byte of anonymous growth. */
  readWeight: number;
  /** Below this much activity (bytes) by every candidate, rank by anonymous size instead. */
  minActivityBytes: number;
  /** The guard's own pid (protected) and pid 1. */
  selfPid: number;
}

/** The protected set of the systemd unit (deploy/systemd) and the issue: what keeps a node reachable and managed. */
export const DEFAULT_PROTECT = ['sshd', 'systemd', 'systemd-journal', 'systemd-journald', 'systemd-logind', 'systemd-udevd', 'kubelet',
  'containerd', 'dockerd', 'init', 'memtriage'];

export const DEFAULT_POLICY: PolicyConfig = {
  protect: DEFAULT_PROTECT, prefer: null, avoid: null, windowMs: 10000, readWeight: 0.25, minActivityBytes: 8 << 20, selfPid: 0,
};

export interface RankedProcess {
  pid: number;
  comm: string;
  cgroup: string;
  startTicks: number | null;
  anonBytes: number | null;
  anonGrowthBytes: number | null;
  readBytes: number | null;
  /** Bytes: growth + readWeight × read. */
  activityBytes: number | null;
  oomScoreAdj: number | null;
  /** null when eligible; otherwise why it is never a victim. */
  excluded: string | null;
}

export interface VictimChoice {
  victim: RankedProcess | null;
  /** 'activity' or 'anon-size' (nobody was active enough), or why there is no victim. */
  basis: 'activity' | 'anon-size' | 'none';
  why: string;
  ranked: RankedProcess[];
}

function protection(p: ProcessCounters, cfg: PolicyConfig): string | null {
  if (p.pid === cfg.selfPid) return 'the guard itself';
  if (p.pid === 1) return 'pid 1';
  if (p.oomScoreAdj === -1000) return 'oom_score_adj -1000 (the kernel never kills it either)';
  if (p.anonBytes == null) return 'no memory of its own (kernel thread) or unreadable status';
  for (const rule of cfg.protect) {
    if (rule.startsWith('/') && (p.cgroup === rule || p.cgroup.startsWith(`${rule}/`))) return `protected cgroup ${rule}`;
    if (/\.(service|scope|slice)$/.test(rule) && p.cgroup.split('/').includes(rule)) return `protected unit ${rule}`;
    if (p.comm === rule) return `protected name ${rule}`;
  }
  return null;
}

/**
 * history: every snapshot of the thrashing cgroup's processes, oldest first; `nowMs` with each.
 * Growth is measured between a pid's first and last snapshot in the window, and only while its
 * start time is unchanged (a reused pid is another process).
 */
export function chooseVictim(history: { tMs: number; processes: ProcessCounters[] }[], nowMs: number, cfg: PolicyConfig): VictimChoice {
  const inWindow = history.filter((h) => nowMs - h.tMs <= cfg.windowMs);
  const last = inWindow.at(-1);
  if (!last || last.processes.length === 0) return { victim: null, basis: 'none', why: 'no process of the cgroup could be read', ranked: [] };
  const ranked: RankedProcess[] = last.processes.map((p) => {
    const first = inWindow.map((h) => h.processes.find((q) => q.pid === p.pid && q.startTicks === p.startTicks)).find((q) => q !== undefined) ?? p;
    const growth = p.anonBytes != null && first.anonBytes != null ? Math.max(0, p.anonBytes - first.anonBytes) : null;
    const read = p.rcharBytes != null && first.rcharBytes != null ? Math.max(0, p.rcharBytes - first.rcharBytes) : null;
    const activity = growth == null && read == null ? null : (growth ?? 0) + cfg.readWeight * (read ?? 0);
    return {
      pid: p.pid, comm: p.comm, cgroup: p.cgroup, startTicks: p.startTicks, anonBytes: p.anonBytes, anonGrowthBytes: growth, readBytes: read,
      activityBytes: activity, oomScoreAdj: p.oomScoreAdj, excluded: protection(p, cfg),
    };
  });
  const eligible = ranked.filter((r) => r.excluded == null);
  const active = eligible.some((r) => (r.activityBytes ?? 0) >= cfg.minActivityBytes);
  const key = (r: RankedProcess) => (active ? (r.activityBytes ?? 0) : (r.anonBytes ?? 0));
  const tier = (r: RankedProcess) => (cfg.prefer?.test(r.comm) ? 0 : cfg.avoid?.test(r.comm) ? 2 : 1);
  eligible.sort((a, b) => tier(a) - tier(b) || key(b) - key(a) || a.pid - b.pid);
  const order = [...eligible, ...ranked.filter((r) => r.excluded != null)];
  const victim = eligible[0] ?? null;
  if (!victim) return { victim: null, basis: 'none', why: `all ${ranked.length} processes are protected`, ranked: order };
  const mib = (b: number | null) => (b == null ? '?' : `${(b / 1048576).toFixed(1)} MiB`);
  const why = active
    ? `${victim.comm} (pid ${victim.pid}) grew its anonymous memory by ${mib(victim.anonGrowthBytes)} and read ${mib(victim.readBytes)} in the last ${Math.round((nowMs - inWindow[0].tMs) / 1000)} s, the most of ${eligible.length} eligible processes`
    : `no process grew or read ${mib(cfg.minActivityBytes)} in the window; ${victim.comm} (pid ${victim.pid}) holds the most anonymous memory (${mib(victim.anonBytes)})`;
  return { victim, basis: active ? 'activity' : 'anon-size', why, ranked: order };
}
