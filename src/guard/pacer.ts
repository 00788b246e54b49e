import type { Clock } from './clock.js';

export interface PaceOptions {
  clock: Clock;
  intervalMs: number;
  /** The period while calm() says the machine is calm; null (or not above intervalMs): always intervalMs. */
  quietIntervalMs: number | null;
  /** How many ticks apart the slow files are read at intervalMs (Sampler's slowEvery). */
  slowEvery: number;
  /** Whether the machine's PSI some total stood still since the tick before (Sampler.calm). */
  calm?: () => boolean;
  /** Tells the sampler the slow files' tick count for a new period, so their period in ms stays. */
  setSlowEvery?: (n: number) => void;
  /** Stop after this long; null: until the signal. */
  durationMs: number | null;
  signal?: AbortSignal;
}

/**
 * Calls tick on one timer for the guard's life (clock.every), not a sleep per tick. Resolves on
 * the signal or after durationMs; rejects with what a tick throws. Calm ticks come every
 * quietIntervalMs: a 10 Hz timer is most of the guard's cost on an idle machine (README, Guard).
 * The detector's windows are in ms, not ticks, so only the first stalled tick may come up to
 * quietIntervalMs - intervalMs later; from it on the period is intervalMs again.
 */
export function runPaced(o: PaceOptions, tick: () => void): Promise<void> {
  const { clock } = o;
  const t0 = clock.nowMs();
  return new Promise<void>((resolve, reject) => {
    let ended = false;
    let stop = (): void => undefined;
    const end = (error?: unknown): void => {
      if (ended) return;
      ended = true;
      stop();
      o.signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = (): void => end();
    const run = (): void => {
      if (ended) return;
      if (o.signal?.aborted || (o.durationMs != null && clock.nowMs() - t0 >= o.durationMs)) return end();
      try { tick(); } catch (e) { end(e ?? new Error('a guard tick failed')); }
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const slow = o.quietIntervalMs != null && o.quietIntervalMs > o.intervalMs ? o.quietIntervalMs : null;
    let period = o.intervalMs;
    const paced = (): void => {
      run();
      if (ended || slow == null) return;
      const want = o.calm?.() ? slow : o.intervalMs;
      if (want === period) return;
      stop();
      period = want;
      o.setSlowEvery?.((o.slowEvery * o.intervalMs) / want);
      stop = clock.every(want, paced);
    };
    stop = clock.every(o.intervalMs, paced);
    paced();
  });
}
