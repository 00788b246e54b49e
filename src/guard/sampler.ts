import type { CounterFiles } from './files.js';
import { discover, type DiscoverOptions, type WatchedCgroup } from './discover.js';
import { memAvailableKb, psiTotals } from './parse.js';
import { cgroupCounters, DEFAULT_QUIET_STALL_RATIO, emptySlow, hostCounters, type Slow } from './counters.js';
import type { CgroupCounters, GuardSample } from './sample.js';

export { DEFAULT_QUIET_STALL_RATIO };

export interface SamplerOptions extends DiscoverOptions {
  /** Re-discover cgroups this often (new containers, removed ones). */
  refreshMs: number;
  /**
   * Read the slow files every this many ticks (default 10: once a second at 10 Hz), and the stat
   * files of a quiet group (see carry in counters.ts) at the same rate. 1 reads everything on every tick.
   */
  slowEvery?: number;
  /** The stall floor of a quiet tick, as a share of the tick (default DEFAULT_QUIET_STALL_RATIO); 0 turns the saving off. */
  quietStallRatio?: number;
}

/**
 * Reads one tick. Holds only the watched list, their slow values and the open files (bounded by
 * maxCgroups); a cgroup that vanished shows its last counters until the next slow tick (the PSI gate
 * does not read its files while nothing stalls), then nulls until the next refresh drops it and closes its files.
 */
export class Sampler {
  private watched: WatchedCgroup[] = [];
  private slow = new Map<string, Slow>();
  private lastRefreshMs = -Infinity;
  private tick = 0;
  private lastHostSomeUs: number | null = null;
  private quiet = false;
  private calmNow = false;
  private slowEveryNow: number | null = null;

  constructor(private readonly files: CounterFiles, private readonly opts: SamplerOptions) {}

  cgroups(): readonly WatchedCgroup[] {
    return this.watched;
  }

  /** The last tick saw no stall anywhere (the machine's PSI some total stood still) and was not a slow tick. */
  quietTick(): boolean {
    return this.quiet;
  }

  /** The machine's PSI some total stood still since the tick before (a slow tick may be calm too). */
  calm(): boolean {
    return this.calmNow;
  }

  /** Read the slow files every n ticks from now on (the guard changes it with its tick rate). */
  setSlowEvery(n: number): void {
    this.slowEveryNow = Math.max(1, Math.round(n));
  }

  refresh(): void {
    this.watched = discover(this.files, this.opts);
    const keep = new Set(this.watched.map((w) => w.cgroup));
    for (const k of [...this.slow.keys()]) if (!keep.has(k)) this.slow.delete(k);
    const dirs = this.watched.flatMap((w) => [w.v1Dir, w.v2Dir]).filter((d): d is string => d != null);
    this.files.retain((p) => p.startsWith('/proc/') || dirs.some((d) => p.startsWith(`${d}/`) && !p.slice(d.length + 1).includes('/')));
  }

  sample(tMs: number, wallMs: number, protectedEvictedPages: number | null = null): GuardSample {
    let refreshed = false;
    if (tMs - this.lastRefreshMs >= this.opts.refreshMs) {
      this.refresh();
      this.lastRefreshMs = tMs;
      refreshed = true;
    }
    // The tick count runs on refresh ticks too (a refresh followed by a second slow read on the next tick was a wasted read).
    const slowTick = this.tick++ % (this.slowEveryNow ?? this.opts.slowEvery ?? 10) === 0;
    const fresh = refreshed || slowTick;
    const quiet = this.opts.quietStallRatio ?? DEFAULT_QUIET_STALL_RATIO;
    // The PSI gate. Stall time is accounted to a task's cgroup and to every ancestor up to the root,
    // whose totals are /proc/pressure/memory (cgroup2's hierarchy: also on the hybrid layout, where
    // v1 limits but cgroup2 accounts PSI). A task stalled anywhere makes the root's "some" grow, and
    // a group's "full" is part of its "some": when the root's some total did not move since the last
    // tick, no group's total moved either, and their pressure files need not be read. One pread
    // per quiet tick instead of one per group; every group's file is still read on slow ticks (a
    // removed group shows as nulls within slowEvery ticks).
    const hostMem = psiTotals(this.files.read('/proc/pressure/memory'));
    const hostMoved = hostMem.someUs == null || this.lastHostSomeUs == null || hostMem.someUs !== this.lastHostSomeUs;
    this.lastHostSomeUs = hostMem.someUs;
    this.quiet = !fresh && !hostMoved;
    this.calmNow = !hostMoved;
    const cgroups: CgroupCounters[] = [];
    for (const w of this.watched) {
      let slow = this.slow.get(w.cgroup);
      // A cgroup seen for the first time reads its slow files at once.
      const now = fresh || !slow;
      if (!slow) this.slow.set(w.cgroup, (slow = emptySlow()));
      cgroups.push(w.cgroup === '/' ? hostCounters(this.files, hostMem, slow, now, tMs, quiet) : cgroupCounters(this.files, w, slow, now, hostMoved, tMs, quiet));
    }
    const host = this.slow.get('/');
    let avail: number | null;
    if (host) avail = host.availKb;
    else {
      const m = this.slow.get('\0meminfo') ?? emptySlow();
      if (fresh || m.meminfo === null) {
        m.meminfo = this.files.read('/proc/meminfo');
        m.availKb = memAvailableKb(m.meminfo);
      }
      this.slow.set('\0meminfo', m);
      avail = m.availKb;
    }
    return { tMs, wallMs, cgroups, protectedEvictedPages, memAvailableKb: avail };
  }
}
