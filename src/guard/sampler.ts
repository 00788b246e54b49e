import type { CounterFiles } from './files.js';
import { discover, type DiscoverOptions, type WatchedCgroup } from './discover.js';
import { keyValues, limitValue, memAvailableKb, psiTotals, sumKeys } from './parse.js';
import { emptyCounters, type CgroupCounters, type GuardSample } from './sample.js';

const VMSTAT_SCAN = ['pgscan_kswapd', 'pgscan_direct', 'pgscan_khugepaged', 'pgscan_proactive'];
const VMSTAT_STEAL = ['pgsteal_kswapd', 'pgsteal_direct', 'pgsteal_khugepaged', 'pgsteal_proactive'];

/** The whole machine from /proc: PSI, vmstat, meminfo. */
function hostCounters(files: CounterFiles): { counters: CgroupCounters; memAvailableKb: number | null } {
  const c = emptyCounters('/', 'host');
  const mem = psiTotals(files.read('/proc/pressure/memory'));
  const io = psiTotals(files.read('/proc/pressure/io'));
  const vm = keyValues(files.read('/proc/vmstat'));
  const meminfo = files.read('/proc/meminfo');
  c.memSomeUs = mem.someUs; c.memFullUs = mem.fullUs; c.ioSomeUs = io.someUs; c.ioFullUs = io.fullUs;
  c.pgmajfault = vm.get('pgmajfault') ?? null;
  c.refaultFile = vm.get('workingset_refault_file') ?? vm.get('workingset_refault') ?? null;
  c.pgscan = sumKeys(vm, VMSTAT_SCAN);
  c.pgsteal = sumKeys(vm, VMSTAT_STEAL);
  const kb = (k: string) => {
    const m = meminfo ? new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(meminfo) : null;
    return m ? Number(m[1]) * 1024 : null;
  };
  c.anonBytes = kb('AnonPages');
  c.fileBytes = kb('Cached');
  const total = kb('MemTotal');
  const free = kb('MemFree');
  c.usageBytes = total != null && free != null ? total - free : null;
  return { counters: c, memAvailableKb: memAvailableKb(meminfo) };
}

/** One cgroup from its v1 and/or cgroup2 files. v1's total_* keys are hierarchical, like all of v2's. */
export function cgroupCounters(files: CounterFiles, w: WatchedCgroup): CgroupCounters {
  const c = emptyCounters(w.cgroup, w.v1Dir && w.v2Dir ? 'hybrid' : w.v1Dir ? 'v1' : 'v2');
  if (w.v2Dir) {
    const mem = psiTotals(files.read(`${w.v2Dir}/memory.pressure`));
    const io = psiTotals(files.read(`${w.v2Dir}/io.pressure`));
    c.memSomeUs = mem.someUs; c.memFullUs = mem.fullUs; c.ioSomeUs = io.someUs; c.ioFullUs = io.fullUs;
  }
  if (w.v1Dir) {
    const st = keyValues(files.read(`${w.v1Dir}/memory.stat`));
    c.pgmajfault = st.get('total_pgmajfault') ?? null;
    c.refaultFile = st.get('total_workingset_refault_file') ?? st.get('total_workingset_refault') ?? null;
    c.anonBytes = st.get('total_rss') ?? null;
    c.fileBytes = st.get('total_cache') ?? null;
    c.usageBytes = limitValue(files.read(`${w.v1Dir}/memory.usage_in_bytes`));
    c.limitBytes = limitValue(files.read(`${w.v1Dir}/memory.limit_in_bytes`));
    c.oomKills = keyValues(files.read(`${w.v1Dir}/memory.oom_control`)).get('oom_kill') ?? null;
  } else if (w.v2Dir) {
    // Without the memory controller on cgroup2 (hybrid host) these files do not exist: nulls stay.
    const st = keyValues(files.read(`${w.v2Dir}/memory.stat`));
    c.pgmajfault = st.get('pgmajfault') ?? null;
    c.refaultFile = st.get('workingset_refault_file') ?? null;
    c.anonBytes = st.get('anon') ?? null;
    c.fileBytes = st.get('file') ?? null;
    c.pgscan = st.get('pgscan') ?? null;
    c.pgsteal = st.get('pgsteal') ?? null;
    c.usageBytes = limitValue(files.read(`${w.v2Dir}/memory.current`));
    c.limitBytes = limitValue(files.read(`${w.v2Dir}/memory.max`));
    c.oomKills = keyValues(files.read(`${w.v2Dir}/memory.events`)).get('oom_kill') ?? null;
  }
  return c;
}

export interface SamplerOptions extends DiscoverOptions {
  /** Re-discover cgroups this often (new containers, removed ones). */
  refreshMs: number;
}

/**
 * Reads one tick. Holds only the watched list and the open files (bounded by maxCgroups); a cgroup
 * that vanished reads as nulls until the next refresh drops it and closes its files.
 */
export class Sampler {
  private watched: WatchedCgroup[] = [];
  private lastRefreshMs = -Infinity;

  constructor(private readonly files: CounterFiles, private readonly opts: SamplerOptions) {}

  cgroups(): readonly WatchedCgroup[] {
    return this.watched;
  }

  refresh(): void {
    this.watched = discover(this.files, this.opts);
    const dirs = this.watched.flatMap((w) => [w.v1Dir, w.v2Dir]).filter((d): d is string => d != null);
    this.files.retain((p) => p.startsWith('/proc/') || dirs.some((d) => p.startsWith(`${d}/`) && !p.slice(d.length + 1).includes('/')));
  }

  sample(tMs: number, wallMs: number, protectedEvictedPages: number | null = null): GuardSample {
    if (tMs - this.lastRefreshMs >= this.opts.refreshMs) {
      this.refresh();
      this.lastRefreshMs = tMs;
    }
    const cgroups: CgroupCounters[] = [];
    let avail: number | null = null;
    for (const w of this.watched) {
      if (w.cgroup === '/') {
        const h = hostCounters(this.files);
        avail = h.memAvailableKb;
        cgroups.push(h.counters);
      } else {
        cgroups.push(cgroupCounters(this.files, w));
      }
    }
    if (!this.watched.some((w) => w.cgroup === '/')) avail = memAvailableKb(this.files.read('/proc/meminfo'));
    return { tMs, wallMs, cgroups, protectedEvictedPages, memAvailableKb: avail };
  }
}
