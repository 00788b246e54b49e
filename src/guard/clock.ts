import { performance } from 'node:perf_hooks';

/** Time for the guard: monotonic for rates and timeouts, wall for people. Injected so tests control it. */
export interface Clock {
  nowMs(): number;
  wallMs(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  nowMs: () => performance.timeOrigin + performance.now(),
  wallMs: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms))),
};
