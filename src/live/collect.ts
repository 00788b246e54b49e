import { cgroupMounts } from './cgroups.js';
import { countPids } from './processes.js';
import { parseColonKb, parseMountinfo } from './proc-text.js';
import type { ProcReader } from './reader.js';
import { collectResidency } from './collect-residency.js';
import type { ResidencyFn } from './residency.js';
import { gatherWhere } from './where.js';

/** Where collected members go (a BundleWriter, or an array in tests). */
export type Sink = (name: string, text: string) => Promise<void>;

export interface CollectOptions {
  residency?: ResidencyFn | null;
  pageSize?: number;
  kernelLog?: () => Promise<{ log: { name: string; text: string } | null; errors: { path: string; code: string; message: string }[] }>;
  /** Processes whose status is kept (every one by default). */
  maxProcesses?: number;
  /** The largest (by RSS) of them also get smaps_rollup, oom_score, oom_score_adj, cmdline, cgroup. */
  maxDetailed?: number;
  maxCgroups?: number;
  progress?: (step: string) => void;
}

const PROC_FILES = ['meminfo', 'vmstat', 'zoneinfo', 'buddyinfo', 'pagetypeinfo', 'slabinfo', 'pressure/memory', 'pressure/io',
  'pressure/cpu', 'swaps', 'modules', 'uptime', 'loadavg', 'version', 'cmdline', 'vmallocinfo', 'net/sockstat',
  'spl/kstat/zfs/arcstats', 'self/mountinfo', 'sys/kernel/tainted'];
// The sysctls that decide when the kernel reclaims, refuses or kills. ("kernel.panic_on_oom" does
// not exist: the OOM panic switch has always been vm.panic_on_oom.)
const SYSCTLS = ['vm/min_free_kbytes', 'vm/overcommit_memory', 'vm/overcommit_ratio', 'vm/overcommit_kbytes', 'vm/swappiness',
  'vm/watermark_scale_factor', 'vm/watermark_boost_factor', 'vm/vfs_cache_pressure', 'vm/dirty_ratio', 'vm/dirty_background_ratio',
  'vm/oom_kill_allocating_task', 'vm/panic_on_oom', 'vm/nr_hugepages', 'kernel/hung_task_timeout_secs',
  'kernel/hung_task_panic', 'kernel/softlockup_panic'];
const V1_FILES = ['memory.stat', 'memory.usage_in_bytes', 'memory.limit_in_bytes', 'memory.max_usage_in_bytes', 'memory.failcnt',
  'memory.oom_control', 'memory.memsw.usage_in_bytes', 'memory.memsw.limit_in_bytes', 'memory.soft_limit_in_bytes'];
const V2_FILES = ['memory.current', 'memory.max', 'memory.high', 'memory.low', 'memory.min', 'memory.peak', 'memory.stat',
  'memory.events', 'memory.pressure', 'memory.swap.current', 'memory.swap.max', 'cgroup.procs'];

/** Member name for a path: "/proc/meminfo" → "proc/meminfo". */
export const memberName = (path: string) => path.replace(/^\/+/, '');

/**
 * Copies everything a post-mortem needs into `sink`, through `reader` (every read has a
 * timeout; failures end up in reader.failures() for the manifest, never abort the collection).
 */
export async function collect(reader: ProcReader, sink: Sink, opts: CollectOptions = {}): Promise<{ kernelLogErrors: { path: string; code: string; message: string }[]; processes: { total: number; kept: number; skipped: number } }> {
  const copy = async (path: string, maxBytes?: number) => {
    const text = await reader.readFile(path, maxBytes);
    if (text != null) await sink(memberName(path), text);
    return text;
  };
  opts.progress?.('kernel log');
  const kl = opts.kernelLog ? await opts.kernelLog() : { log: null, errors: [] };
  if (kl.log) await sink(kl.log.name, kl.log.text);

  opts.progress?.('/proc');
  // meminfo, zoneinfo, vmstat in one go: their counters are compared with each other later.
  const trio = ['/proc/meminfo', '/proc/zoneinfo', '/proc/vmstat'];
  const texts = await reader.readFiles(trio);
  for (const [i, t] of texts.entries()) if (t != null) await sink(memberName(trio[i]), t);
  for (const f of PROC_FILES.filter((f) => !trio.includes(`/proc/${f}`))) await copy(`/proc/${f}`, 32 << 20);
  for (const s of SYSCTLS) await copy(`/proc/sys/${s}`);
  for (const u of ['ostype', 'osrelease', 'version', 'hostname']) await copy(`/proc/sys/kernel/${u}`);

  opts.progress?.('processes');
  const { pids, total } = await countPids(reader, opts.maxProcesses);
  // Said in the manifest: a skipped process is memory nobody can attribute later.
  const skippedProcesses = total - pids.length;
  const rss: { pid: number; kb: number }[] = [];
  for (const pid of pids) {
    const status = await copy(`/proc/${pid}/status`, 64 << 10);
    if (status != null) rss.push({ pid, kb: parseColonKb(status).VmRSS ?? -1 });
  }
  // Detail for the largest; kernel threads (no VmRSS) last, they have no mm to look at.
  rss.sort((a, b) => b.kb - a.kb);
  for (const { pid, kb } of rss.slice(0, opts.maxDetailed ?? 200)) {
    for (const f of kb < 0 ? ['oom_score', 'oom_score_adj'] : ['oom_score', 'oom_score_adj', 'cgroup', 'smaps_rollup', 'cmdline']) {
      const text = await reader.readFile(`/proc/${pid}/${f}`, 64 << 10);
      // cmdline is NUL-separated: made readable here, since members are text.
      if (text != null) await sink(`proc/${pid}/${f}`, f === 'cmdline' ? text.replace(/\0+$/, '').replace(/\0/g, ' ') + '\n' : text);
    }
  }

  opts.progress?.('cgroups');
  const mounts = cgroupMounts(parseMountinfo((await reader.readFile('/proc/self/mountinfo')) ?? ''));
  for (const [root, files] of [[mounts.v1Memory, V1_FILES], [mounts.v2, V2_FILES]] as const) {
    if (root) await copyCgroups(reader, sink, root, files, opts.maxCgroups ?? 500);
  }

  opts.progress?.('residency of daemons');
  if (opts.residency) await collectResidency(reader, sink, opts.residency, opts.pageSize ?? 4096, rss.filter((r) => r.kb >= 0).map((r) => r.pid));

  opts.progress?.('where');
  try {
    const b = await gatherWhere(reader, { residency: null });
    await sink('where.json', JSON.stringify(b, null, 2) + '\n');
  } catch {
    // No meminfo: already recorded as a failed read.
  }
  return { kernelLogErrors: kl.errors, processes: { total, kept: pids.length, skipped: skippedProcesses } };
}

async function copyCgroups(reader: ProcReader, sink: Sink, root: string, files: readonly string[], limit: number): Promise<void> {
  const queue = [root];
  let n = 0;
  while (queue.length > 0 && n++ < limit) {
    const dir = queue.shift()!;
    for (const f of files) {
      const text = await reader.readFile(`${dir}/${f}`, 1 << 20);
      if (text != null) await sink(memberName(`${dir}/${f}`), text);
    }
    for (const name of (await reader.readdir(dir)) ?? []) {
      if (/^(cgroup|memory|tasks|notify_on_release|release_agent|cpu|io|pids|hugetlb|rdma|misc)\b/.test(name) && name.includes('.') || /^(tasks|notify_on_release|release_agent)$/.test(name)) continue;
      queue.push(`${dir}/${name}`);
    }
  }
}
