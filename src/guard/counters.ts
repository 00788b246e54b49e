import type { CounterFiles } from './files.js';
import type { WatchedCgroup } from './discover.js';
import { limitValue, memAvailableKb, psiTotals, sumValues, valueOf } from './parse.js';
import { emptyCounters, type CgroupCounters } from './sample.js';

/**
 * One tick's counters of one watched cgroup or of the machine, from the files the Sampler keeps
 * open, and what is carried between ticks (Slow): the reading policy of a quiet tick lives here,
 * the choice of which tick is slow and the PSI gate in sampler.ts.
 */

export type PsiTotals = ReturnType<typeof psiTotals>;

const VMSTAT_SCAN = ['pgscan_kswapd', 'pgscan_direct', 'pgscan_khugepaged', 'pgscan_proactive'];
const VMSTAT_STEAL = ['pgsteal_kswapd', 'pgsteal_direct', 'pgsteal_khugepaged', 'pgsteal_proactive'];

const meminfoBytes = (text: string | null, key: string): number | null => {
  const i = text ? text.indexOf(`${key}:`) : -1;
  if (i < 0 || !text) return null;
  const m = /^\s*(\d+) kB/.exec(text.slice(i + key.length + 1, i + key.length + 40));
  return m ? Number(m[1]) * 1024 : null;
};

/**
 * What changes slowly or only gives context (limits, OOM kill counts, meminfo, io pressure) is read
 * once every `slowEvery` ticks and carried between; stall and fault counters, what the detector
 * decides on, every tick.
 */
export interface Slow {
  limitBytes: number | null;
  oomKills: number | null;
  io: { someUs: number | null; fullUs: number | null };
  meminfo: string | null;
  /** MemAvailable of that meminfo text, parsed once when it was read (not on every tick). */
  availKb: number | null;
  /** PSI some (and full) total and time at the last tick, and the counters last read. */
  lastSomeUs: number | null;
  lastFullUs: number | null;
  lastTMs: number | null;
  counters: CgroupCounters | null;
}

/** A tick whose stall is under this share of its length cannot start or feed a storm (the detector's lowest bar is 10 %). */
export const DEFAULT_QUIET_STALL_RATIO = 0.01;

/**
 * Quiet-tick saving: while a group's tasks stalled on memory less than `quietRatio` (1 %) of the
 * last tick, its memory.stat (vmstat for the host) and usage are read only every `slowEvery` ticks
 * and carried between: without a stall nothing can be decided, and the first tick with a stall at
 * or above the floor reads them again, as does every tick after it while the stall lasts (so a
 * stall run starts from fresh counters, and the major-fault rate that confirms a storm is at full rate).
 */
function carry(c: CgroupCounters, slow: Slow, fresh: boolean, tMs: number, quietRatio: number): boolean {
  const stalledUs = c.memSomeUs != null && slow.lastSomeUs != null ? c.memSomeUs - slow.lastSomeUs : null;
  const still = !fresh && slow.counters != null && stalledUs != null && slow.lastTMs != null && stalledUs >= 0 &&
    stalledUs < quietRatio * (tMs - slow.lastTMs) * 1000;
  slow.lastSomeUs = c.memSomeUs;
  slow.lastTMs = tMs;
  if (still) copyCounters(c, slow.counters!);
  return still;
}

function copyCounters(c: CgroupCounters, p: CgroupCounters): void {
  c.pgmajfault = p.pgmajfault; c.refaultFile = p.refaultFile; c.anonBytes = p.anonBytes; c.fileBytes = p.fileBytes;
  c.pgscan = p.pgscan; c.pgsteal = p.pgsteal; c.usageBytes = p.usageBytes;
}

/** The whole machine from /proc: PSI, vmstat, meminfo. */
export function hostCounters(files: CounterFiles, mem: PsiTotals, slow: Slow, fresh: boolean, tMs: number, quietRatio: number): CgroupCounters {
  const c = emptyCounters('/', 'host');
  if (fresh) {
    slow.io = psiTotals(files.read('/proc/pressure/io'));
    slow.meminfo = files.read('/proc/meminfo');
    slow.availKb = memAvailableKb(slow.meminfo);
  }
  c.memSomeUs = mem.someUs; c.memFullUs = mem.fullUs; c.ioSomeUs = slow.io.someUs; c.ioFullUs = slow.io.fullUs;
  if (carry(c, slow, fresh, tMs, quietRatio)) return c;
  const vm = files.read('/proc/vmstat');
  c.pgmajfault = valueOf(vm, 'pgmajfault');
  c.refaultFile = valueOf(vm, 'workingset_refault_file') ?? valueOf(vm, 'workingset_refault');
  c.pgscan = sumValues(vm, VMSTAT_SCAN);
  c.pgsteal = sumValues(vm, VMSTAT_STEAL);
  c.anonBytes = meminfoBytes(slow.meminfo, 'AnonPages');
  c.fileBytes = meminfoBytes(slow.meminfo, 'Cached');
  const total = meminfoBytes(slow.meminfo, 'MemTotal');
  const free = meminfoBytes(slow.meminfo, 'MemFree');
  c.usageBytes = total != null && free != null ? total - free : null;
  slow.counters = c;
  return c;
}

/** One cgroup from its v1 and/or cgroup2 files. v1's total_* keys are hierarchical, like all of v2's. */
export function cgroupCounters(files: CounterFiles, w: WatchedCgroup, slow: Slow, fresh: boolean, hostMoved: boolean, tMs: number, quietRatio: number): CgroupCounters {
  const c = emptyCounters(w.cgroup, w.v1Dir && w.v2Dir ? 'hybrid' : w.v1Dir ? 'v1' : 'v2');
  if (w.v2Dir) {
    if (fresh || hostMoved || slow.lastSomeUs == null) {
      const mem = psiTotals(files.read(`${w.v2Dir}/memory.pressure`));
      c.memSomeUs = mem.someUs; c.memFullUs = mem.fullUs;
      slow.lastFullUs = mem.fullUs;
    } else {
      // The machine stalled nowhere since the last tick, so neither did this group (see Sampler.sample).
      c.memSomeUs = slow.lastSomeUs; c.memFullUs = slow.lastFullUs;
    }
    if (fresh) slow.io = psiTotals(files.read(`${w.v2Dir}/io.pressure`));
    c.ioSomeUs = slow.io.someUs; c.ioFullUs = slow.io.fullUs;
  }
  // Without a cgroup2 twin a v1 group has no PSI: nothing in it can be decided, so its counters are
  // context only and are read at the slow rate.
  const carried = w.v2Dir != null ? carry(c, slow, fresh, tMs, quietRatio) : !fresh && slow.counters != null && (copyCounters(c, slow.counters), true);
  if (w.v1Dir && !carried) {
    const st = files.read(`${w.v1Dir}/memory.stat`);
    c.pgmajfault = valueOf(st, 'total_pgmajfault');
    c.refaultFile = valueOf(st, 'total_workingset_refault_file') ?? valueOf(st, 'total_workingset_refault');
    c.anonBytes = valueOf(st, 'total_rss');
    c.fileBytes = valueOf(st, 'total_cache');
    c.usageBytes = limitValue(files.read(`${w.v1Dir}/memory.usage_in_bytes`));
    if (fresh) {
      slow.limitBytes = limitValue(files.read(`${w.v1Dir}/memory.limit_in_bytes`));
      slow.oomKills = valueOf(files.read(`${w.v1Dir}/memory.oom_control`), 'oom_kill');
    }
  } else if (w.v2Dir && !carried) {
    // Without the memory controller on cgroup2 (hybrid host) these files do not exist: nulls stay.
    const st = files.read(`${w.v2Dir}/memory.stat`);
    c.pgmajfault = valueOf(st, 'pgmajfault');
    c.refaultFile = valueOf(st, 'workingset_refault_file');
    c.anonBytes = valueOf(st, 'anon');
    c.fileBytes = valueOf(st, 'file');
    c.pgscan = valueOf(st, 'pgscan');
    c.pgsteal = valueOf(st, 'pgsteal');
    c.usageBytes = limitValue(files.read(`${w.v2Dir}/memory.current`));
    if (fresh) {
      slow.limitBytes = limitValue(files.read(`${w.v2Dir}/memory.max`));
      slow.oomKills = valueOf(files.read(`${w.v2Dir}/memory.events`), 'oom_kill');
    }
  }
  c.limitBytes = slow.limitBytes;
  c.oomKills = slow.oomKills;
  if (!carried) slow.counters = c;
  return c;
}

export const emptySlow = (): Slow => ({ limitBytes: null, oomKills: null, io: { someUs: null, fullUs: null }, meminfo: null, availKb: null, lastSomeUs: null, lastFullUs: null, lastTMs: null, counters: null });
