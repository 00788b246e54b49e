import { performance } from 'node:perf_hooks';

/** Time for the guard: monotonic for rates and timeouts, wall for people. Injected so tests control it. */
export interface Clock {
  nowMs(): number;
  wallMs(): number;
  sleep(ms: number): Promise<void>;
  /**
   * Calls fn every ms until the returned function is called. The guard's tick: one timer for the
   * life of the daemon instead of a timer and a promise per tick (each await costs a microtask
   * round and an allocation, measured in the README's Guard section). A tick that runs late
   * delays the next one rather than bunching (Node re-arms an interval after its callback).
   */
  every(ms: number, fn: () => void): () => void;
}

export const realClock: Clock = {
  nowMs: () => performance.timeOrigin + performance.now(),
  wallMs: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms))),
  every: (ms, fn) => {
    const t = setInterval(fn, ms);
    return () => clearInterval(t);
  },
};
