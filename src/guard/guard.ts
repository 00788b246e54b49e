import { mkdir } from 'node:fs/promises';
import type { Clock } from './clock.js';
import { Detector, type DetectorConfig } from './detector.js';
import type { WatchedCgroup } from './discover.js';
import type { CounterFiles } from './files.js';
import type { PidReader } from './pid-reader.js';
import type { PolicyConfig } from './policy.js';
import { snapshotProcesses, subtreePids } from './procs.js';
import type { ProtectedBinaries } from './protected-binaries.js';
import { runPaced } from './pacer.js';
import { Sampler, type SamplerOptions } from './sampler.js';
import type { GuardSample, ProcessCounters } from './sample.js';
import type { GuardObserver, GuardView } from './view.js';
import { preloadEvidence } from './act/evidence.js';
import type { KillDeps } from './act/kill.js';
import { respond, type ResponseContext } from './respond.js';

export type GuardMode = 'dry-run' | 'warn' | 'kill';

export interface GuardOptions {
  mode: GuardMode;
  intervalMs: number;
  /**
   * The tick interval while the machine is calm (its PSI some total stood still since the tick
   * before): fewer wakeups when nothing stalls anywhere, back to intervalMs from the first tick
   * that sees a stall. Null (or not above intervalMs): always intervalMs.
   */
  quietIntervalMs?: number | null;
  detector: DetectorConfig;
  policy: PolicyConfig;
  sampler: SamplerOptions;
  bundleDir: string;
  keepBundles: number;
  graceMs: number;
  killCgroup: boolean;
  hook: string | null;
  preHook: string | null;
  postHook: string | null;
  hookTimeoutMs: number;
  /** Sample the processes of a pressured cgroup this often (off the loop, see pid-reader.ts). */
  processSampleMs: number;
  /** Also sample the processes of limited cgroups above this share of their limit (to see a hog grow). */
  nearLimitRatio: number;
  observers: GuardObserver[];
  /** Bytes held mlocked by --lock-critical, for the view; absent when locking is off. */
  lockedBytes?: () => number;
  /** Every sample (--record). */
  record: ((s: GuardSample) => void) | null;
  /** One JSON object per event, for stdout (the CLI writes it as one line). */
  log: (event: Record<string, unknown>) => void;
  /** A line for people (stderr). */
  say: (line: string) => void;
  /** Stop after this long (tests, bench); null runs until signal. */
  durationMs: number | null;
  signal?: AbortSignal;
}

/** Where samples come from: the real Sampler, or a recorded series in tests. */
export interface SampleSource {
  sample(tMs: number, wallMs: number, protectedEvictedPages: number | null): GuardSample;
  cgroups(): readonly WatchedCgroup[];
  /** Whether the last sample saw no stall anywhere and was not a slow tick (Sampler.quietTick); absent: never. */
  quietTick?(): boolean;
  /** Whether the machine's PSI some total stood still since the tick before (Sampler.calm); absent: never. */
  calm?(): boolean;
  /** Slow files every n ticks (Sampler.setSlowEvery), so that their period in ms stays as set when the tick rate changes. */
  setSlowEvery?(n: number): void;
}

export interface GuardDeps {
  files: CounterFiles;
  /** Defaults to a Sampler over `files`. */
  sampler?: SampleSource;
  pids: PidReader;
  clock: Clock;
  kill: KillDeps | null;
  binaries: ProtectedBinaries | null;
}

const MAX_PROCS_PER_CGROUP = 256;

/**
 * The daemon: sample → detect → (evidence → hook/kill) → view, every intervalMs. The tick itself
 * is synchronous and only does kept-open preads and arithmetic; /proc/PID reads, bundle writing, hooks and kills run
 * beside it (promises), one decision at a time, so sampling goes on through an action (the bundle
 * of the next storm shows the recovery of this one).
 */
export async function runGuard(opts: GuardOptions, deps: GuardDeps): Promise<{ decisions: number; actions: Record<string, number> }> {
  const { clock } = deps;
  const sampler: SampleSource = deps.sampler ?? new Sampler(deps.files, opts.sampler);
  const detector = new Detector(opts.detector, Math.ceil((opts.detector.historyMs / opts.intervalMs) * 2) + 10);
  const procHistory = new Map<string, { tMs: number; processes: ProcessCounters[] }[]>();
  const procInFlight = new Map<string, Promise<void>>();
  const lastProcSample = new Map<string, number>();
  let pendingProcs: ProcessCounters[] = [];
  let detections = 0;
  const actions: Record<string, number> = {};
  let acting: Promise<void> = Promise.resolve();
  let lastBinRefresh = -Infinity;
  let lastEvicted: number | null = null;
  let evictedRead = false;
  let warmed = false;
  await mkdir(opts.bundleDir, { recursive: true });

  const watchedOf = (cg: string): WatchedCgroup | null => sampler.cgroups().find((w) => w.cgroup === cg) ?? null;

  /** One snapshot of a cgroup's processes at a time; a caller arriving meanwhile waits for that one. */
  const snapshot = (w: WatchedCgroup): Promise<void> => {
    const running = procInFlight.get(w.cgroup);
    if (running) return running;
    const p = takeSnapshot(w).finally(() => procInFlight.delete(w.cgroup));
    procInFlight.set(w.cgroup, p);
    return p;
  };
  const takeSnapshot = async (w: WatchedCgroup): Promise<void> => {
    const t = clock.nowMs();
    const procs = await snapshotProcesses(deps.pids, subtreePids(deps.files, w, MAX_PROCS_PER_CGROUP));
    const h = procHistory.get(w.cgroup) ?? [];
    h.push({ tMs: t, processes: procs });
    while (h.length > 0 && t - h[0].tMs > opts.policy.windowMs + 2 * opts.processSampleMs) h.shift();
    procHistory.set(w.cgroup, h);
    pendingProcs.push(...procs);
  };

  const count = (k: string) => (actions[k] = (actions[k] ?? 0) + 1);
  const ctx: ResponseContext = { opts, deps, clock, detector, watchedOf, snapshot, procHistory, count };


  /**
   * One tick, synchronous: kept-open preads, arithmetic, and at most a few promises started on
   * events (a snapshot, a response). Nothing is awaited here, so a quiet tick allocates little
   * and never goes through the microtask queue.
   */
  const tick = (): void => {
    const t = clock.nowMs();
    if (deps.binaries && t - lastBinRefresh >= opts.sampler.refreshMs * 6) {
      lastBinRefresh = t;
      void deps.binaries.refresh().catch(() => undefined);
    }
    const sample = sampler.sample(t, clock.wallMs(), null);
    if (deps.binaries) {
      // cachestat of the protected binaries (one call per binary) only confirms a stall: on a tick
      // that saw none anywhere it is carried, like the stat files, and read on every other tick.
      if (evictedRead && sampler.quietTick?.()) sample.protectedEvictedPages = lastEvicted;
      else {
        sample.protectedEvictedPages = lastEvicted = deps.binaries.evictedPages();
        evictedRead = true;
      }
    }
    if (pendingProcs.length) {
      sample.processes = pendingProcs;
      pendingProcs = [];
    }
    opts.record?.(sample);
    const decisions = detector.step(sample);
    for (const c of sample.cgroups) {
      const state = detector.stateOf(c.cgroup);
      const near = c.limitBytes != null && c.usageBytes != null && c.usageBytes >= opts.nearLimitRatio * c.limitBytes;
      if (state !== 'suspect' && state !== 'storm' && !near) continue;
      if (state === 'suspect' && !warmed) {
        warmed = true;
        void preloadEvidence().catch(() => undefined);
        if (opts.mode === 'kill' && deps.kill) {
          // Binds koffi and the syscalls now; on fd -1 both calls are no-ops (poll ignores it, EBADF).
          try { deps.kill.exited(-1); deps.kill.sys.pidfdSendSignal(-1, 0); } catch { /* bound at the kill then */ }
        }
      }
      const w = watchedOf(c.cgroup);
      if (w && t - (lastProcSample.get(c.cgroup) ?? -Infinity) >= opts.processSampleMs) {
        lastProcSample.set(c.cgroup, t);
        void snapshot(w).catch(() => undefined);
      }
    }
    if (procHistory.size > 0) for (const k of procHistory.keys()) if (!sample.cgroups.some((c) => c.cgroup === k)) procHistory.delete(k);
    for (const d of decisions) {
      detections++;
      const samples = detector.ring.samples();
      acting = acting.then(() => respond(ctx, d, samples)).catch((e) => opts.say(`memtriage guard: action for ${d.cgroup} failed: ${(e as Error).message}`));
    }
    if (opts.observers.length === 0) return;
    const gv: GuardView = { atMs: sample.wallMs, mode: opts.mode, cgroups: detector.view(), detectionsTotal: detections, actionsTotal: { ...actions }, lockedBytes: opts.lockedBytes ? opts.lockedBytes() : null };
    for (const o of opts.observers) {
      try { o(gv); } catch (e) { opts.say(`memtriage guard: an observer failed: ${(e as Error).message}`); }
    }
  };

  try {
    await runPaced({
      clock, intervalMs: opts.intervalMs, quietIntervalMs: opts.quietIntervalMs ?? null, slowEvery: opts.sampler.slowEvery ?? 10,
      calm: sampler.calm ? () => sampler.calm!() : undefined, setSlowEvery: sampler.setSlowEvery ? (n) => sampler.setSlowEvery!(n) : undefined,
      durationMs: opts.durationMs, signal: opts.signal,
    }, tick);
    await acting;
  } finally {
    deps.binaries?.close();
    deps.files.close();
  }
  return { decisions: detections, actions };
}
