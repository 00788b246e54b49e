import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DETECTOR, Detector, replay } from '../../src/guard/detector.js';
import { buildSeries } from './series-builder.js';

const quiet = (seconds: number) => ({ seconds, some: 0, majorPerSec: 0 });
/** Seconds from the start of the series to the decision. */
const at = (d: { tMs: number }) => (d.tMs - 1_000_000) / 1000;

describe('detector: confirmed path (stall ≥ 10 % held 2 s + ≥ 10 major faults/s)', () => {
  const cases: [string, number, number, number, boolean][] = [
    // name, some, majorPerSec, seconds of storm, fires
    ['some 12 %, 30 maj/s, 4 s', 0.12, 30, 4, true],
    ['some 8 %, 30 maj/s, 10 s (stall just below)', 0.08, 30, 10, false],
    ['some 50 %, 11 maj/s, 4 s (faults just above)', 0.3, 11, 4, true],
    ['some 30 %, 9 maj/s, 4.5 s (faults just below; under the severe hold)', 0.3, 9, 4.5, false],
    // A 30 % stall lasting D s keeps the 1-s ratio ≥ 10 % from 0.4 s after its start to 0.6 s after
    // its end (the window trails it): held D + 0.2 s, so 2 s are reached from D = 1.8 s.
    ['some 30 %, 30 maj/s, 2.0 s (held 2.2 s)', 0.3, 30, 2.0, true],
    ['some 30 %, 30 maj/s, 1.6 s (held 1.8 s)', 0.3, 30, 1.6, false],
  ];
  for (const [name, some, maj, secs, fires] of cases) {
    it(name, () => {
      const s = buildSeries([quiet(3), { seconds: secs, some, majorPerSec: maj }, quiet(10)]);
      const d = replay(s);
      assert.equal(d.length, fires ? 1 : 0, JSON.stringify(d.map((x) => [x.reason, at(x)])));
      if (fires) assert.equal(d[0].reason, 'stall-and-major-faults');
    });
  }

  it('decides 2 s after the 1-s stall first reaches 10 %, not before', () => {
    const s = buildSeries([quiet(3), { seconds: 8, some: 0.5, majorPerSec: 40 }]);
    const [d] = replay(s);
    // 50 % stall from t = 3 s: the 1-s window reaches 10 % 0.2 s later (t = 3.2 s); held 2 s → 5.2 s.
    assert.ok(at(d) >= 5.2 - 1e-6 && at(d) <= 5.3 + 1e-6, `decided at ${at(d)}`);
    assert.ok(d.heldMs >= 2000);
    assert.ok(Math.abs(d.majorFaultsPerSecHeld! - 40) < 2);
  });

  it('a hold-ms of 3000 moves the decision 1 s later', () => {
    const s = buildSeries([quiet(3), { seconds: 8, some: 0.5, majorPerSec: 40 }]);
    const [d] = replay(s, { ...DEFAULT_DETECTOR, holdMs: 3000 });
    assert.ok(at(d) >= 6.2 - 1e-6 && at(d) <= 6.3 + 1e-6, `decided at ${at(d)}`);
  });
});

describe('detector: confirmation by protected binaries being evicted', () => {
  it('stall without major faults but with protected pages evicted (20/s) fires', () => {
    const s = buildSeries([{ seconds: 3, some: 0, evictedPagesPerSec: 0 }, { seconds: 4, some: 0.2, majorPerSec: 0, evictedPagesPerSec: 20 }]);
    const d = replay(s);
    assert.equal(d.length, 1);
    assert.equal(d[0].reason, 'stall-and-protected-evictions');
  });
  it('the same stall with no eviction (0/s) does not', () => {
    const s = buildSeries([{ seconds: 3, some: 0, evictedPagesPerSec: 0 }, { seconds: 4, some: 0.2, majorPerSec: 0, evictedPagesPerSec: 0 }]);
    assert.equal(replay(s).length, 0);
  });
  it('eviction just below the threshold (12/s with threshold 16) does not', () => {
    const s = buildSeries([{ seconds: 3, some: 0, evictedPagesPerSec: 0 }, { seconds: 4, some: 0.2, majorPerSec: 0, evictedPagesPerSec: 12 }]);
    assert.equal(replay(s).length, 0);
  });
});

describe('detector: unconfirmed path (some ≥ 40 % or full ≥ 30 % held 5 s)', () => {
  const cases: [string, number, number, number, boolean][] = [
    ['some 42 %, 6 s', 0.42, 0, 6, true],
    ['some 38 %, 10 s (just below)', 0.38, 0, 10, false],
    ['full 32 % (some 32 %), 6 s', 0.32, 0.32, 6, true],
    ['full 28 % (some 32 %), 10 s (just below)', 0.32, 0.28, 10, false],
    ['some 60 %, 5.05 s (severe 1-s window held under 5 s)', 0.6, 0, 5.05, false],
    ['some 60 %, 5.6 s', 0.6, 0, 5.6, true],
  ];
  for (const [name, some, full, secs, fires] of cases) {
    it(name, () => {
      const s = buildSeries([quiet(3), { seconds: secs, some, full, majorPerSec: 0 }, quiet(10)]);
      const d = replay(s);
      assert.equal(d.length, fires ? 1 : 0, JSON.stringify(d.map((x) => [x.reason, at(x)])));
      if (fires) assert.equal(d[0].reason, 'severe-stall');
    });
  }
});

describe('detector: what must never decide', () => {
  it('MemAvailable near zero with no stall', () => {
    const s = buildSeries([{ seconds: 20, some: 0, majorPerSec: 500, memAvailableKb: 1000 }]);
    assert.equal(replay(s).length, 0);
  });
  it('refaults alone (a streaming read: 800 k/s, little stall)', () => {
    const s = buildSeries([{ seconds: 20, some: 0.02, majorPerSec: 5, refaultsPerSec: 800_000 }]);
    assert.equal(replay(s).length, 0);
  });
  it('host-wide pressure while a watched cgroup is the one thrashing: only the cgroup decides', () => {
    const seg = [quiet(3), { seconds: 6, some: 0.4, majorPerSec: 40 }];
    const s = buildSeries(seg, { cgroup: '/lab', extra: [{ cgroup: '/', segments: seg }] });
    const d = replay(s);
    assert.deepEqual(d.map((x) => x.cgroup), ['/lab']);
  });
  it('the whole machine decides when no watched cgroup is pressured', () => {
    const seg = [quiet(3), { seconds: 6, some: 0.4, majorPerSec: 40 }];
    const s = buildSeries([quiet(9)], { cgroup: '/lab', extra: [{ cgroup: '/', segments: seg }] });
    assert.deepEqual(replay(s).map((x) => x.cgroup), ['/']);
  });
  it('a child defers to its limited, pressured parent (the storm is where the limit is)', () => {
    const seg = [quiet(3), { seconds: 6, some: 0.4, majorPerSec: 40 }];
    const s = buildSeries(seg, { cgroup: '/pod', limitBytes: 300 << 20, extra: [{ cgroup: '/pod/app', segments: seg, limitBytes: null }] });
    assert.deepEqual(replay(s).map((x) => x.cgroup), ['/pod']);
  });
  it('missing PSI (null totals) never decides, whatever the faults', () => {
    const s = buildSeries([{ seconds: 10, some: 0.9, majorPerSec: 100 }]);
    for (const x of s) x.cgroups[0].memSomeUs = x.cgroups[0].memFullUs = null;
    assert.equal(replay(s).length, 0);
  });
  it('a counter going backwards (cgroup re-created) is not a rate', () => {
    const s = buildSeries([{ seconds: 10, some: 0.5, majorPerSec: 40 }]);
    // From 1 s on, every tick's totals drop below the previous ones: no delta is ever valid.
    s.forEach((x, i) => { if (i >= 10) x.cgroups[0].memSomeUs = 1e9 - i; });
    assert.equal(replay(s).length, 0);
  });
});

describe('detector: one decision per storm, then cooldown', () => {
  it('a 25-s storm gives one decision', () => {
    const s = buildSeries([quiet(3), { seconds: 25, some: 0.3, majorPerSec: 30 }, quiet(5)]);
    assert.equal(replay(s).length, 1);
  });
  it('a storm longer than repeatMs (30 s) is decided again once', () => {
    const s = buildSeries([quiet(3), { seconds: 36, some: 0.3, majorPerSec: 30 }]);
    const d = replay(s);
    assert.equal(d.length, 2);
    assert.equal(d[1].repeat, true);
    assert.ok(d[1].tMs - d[0].tMs >= 30000);
  });
  it('a second storm inside the cooldown is not decided; after it, it is', () => {
    const storm = { seconds: 4, some: 0.3, majorPerSec: 30 };
    // storm, 3 s calm (clears after 2 s, cooldown 10 s from the decision) → second storm inside cooldown.
    const inside = replay(buildSeries([quiet(3), storm, quiet(3), storm, quiet(3)]));
    assert.equal(inside.length, 1);
    const after = replay(buildSeries([quiet(3), storm, quiet(15), storm, quiet(3)]));
    assert.equal(after.length, 2);
  });
  it('states go quiet → suspect → storm → cooldown → quiet', () => {
    const det = new Detector();
    const seen: string[] = [];
    for (const s of buildSeries([quiet(3), { seconds: 5, some: 0.3, majorPerSec: 30 }, quiet(20)])) {
      det.step(s);
      const st = det.view()[0].state;
      if (seen.at(-1) !== st) seen.push(st);
    }
    assert.deepEqual(seen, ['quiet', 'suspect', 'storm', 'cooldown', 'quiet']);
  });
  it('keeps bounded history', () => {
    const det = new Detector({ ...DEFAULT_DETECTOR, historyMs: 5000 }, 100);
    for (const s of buildSeries([{ seconds: 60, some: 0 }])) det.step(s);
    assert.ok(det.ring.samples().length <= 51);
  });
});
