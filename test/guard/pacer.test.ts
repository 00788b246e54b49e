import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Clock } from '../../src/guard/clock.js';
import { runPaced } from '../../src/guard/pacer.js';

/** A clock whose single timer the test fires by hand; now moves by the timer's period each time. */
function manualClock(): Clock & { fire(): void; periods: number[]; live: number } {
  let now = 0;
  let timer: { ms: number; fn: () => void } | null = null;
  const c = {
    periods: [] as number[],
    live: 0,
    nowMs: () => now,
    wallMs: () => now,
    sleep: async () => undefined,
    every(ms: number, fn: () => void) {
      c.periods.push(ms);
      c.live++;
      const t = { ms, fn };
      timer = t;
      return () => { if (timer === t) { timer = null; } c.live--; };
    },
    fire() {
      const t = timer;
      if (!t) throw new Error('no timer');
      now += t.ms;
      t.fn();
    },
  };
  return c;
}

const base = { intervalMs: 100, quietIntervalMs: null, slowEvery: 10, durationMs: null };

test('ends after durationMs, with its timer stopped', async () => {
  const clock = manualClock();
  let ticks = 0;
  const done = runPaced({ ...base, clock, durationMs: 350 }, () => void ticks++);
  for (let i = 0; i < 3; i++) clock.fire(); // t = 100, 200, 300
  assert.equal(clock.live, 1);
  clock.fire(); // t = 400: past 350
  await done;
  assert.equal(ticks, 4); // the first tick at start, then 100, 200, 300
  assert.equal(clock.live, 0);
});

test('ends on the abort signal; a tick that throws rejects with its error', async () => {
  const clock = manualClock();
  const ac = new AbortController();
  const done = runPaced({ ...base, clock, signal: ac.signal }, () => undefined);
  clock.fire();
  ac.abort();
  await done;
  assert.equal(clock.live, 0);

  const c2 = manualClock();
  let n = 0;
  const failing = runPaced({ ...base, clock: c2 }, () => { if (++n === 3) throw new Error('tick 3'); });
  c2.fire();
  c2.fire();
  await assert.rejects(failing, /tick 3/);
  assert.equal(c2.live, 0);
});

test('calm ticks switch to quietIntervalMs and back; the slow files keep their period in ms', async () => {
  const clock = manualClock();
  const ac = new AbortController();
  const calm = [true, true, false, false, true];
  let i = 0;
  const slow: number[] = [];
  const done = runPaced({ ...base, clock, quietIntervalMs: 250, signal: ac.signal, calm: () => calm[Math.min(i, calm.length - 1)], setSlowEvery: (n) => void slow.push(n) },
    () => void i++);
  for (let k = 0; k < 4; k++) clock.fire();
  ac.abort();
  await done;
  // calm() is asked after each tick: after tick 1 calm → 250; after 2 a stall → 100; 3 stays; after 4 calm → 250; 5 stays
  assert.deepEqual(clock.periods, [100, 250, 100, 250]);
  assert.deepEqual(slow, [4, 10, 4]);
});
