/**
 * End-to-end replays of series the guard recorded on the development machine during real storms
 * (bench/guard-record.ts; test/fixtures/README.md). The ground truth is the lab daemon's own pass
 * log, recorded beside each series: a storm starts when its passes go from ~1 ms to > 50 ms.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DETECTOR } from '../../src/guard/detector.js';
import { DEFAULT_POLICY } from '../../src/guard/policy.js';
import { replaySeries } from '../../src/guard/replay.js';
import { parseJsonl } from '../../src/guard/series.js';
import { readFixture } from '../helpers.js';

const load = (name: string) => parseJsonl(readFixture(`guard-host-6.18-${name}.jsonl`)).samples;
const passes = (name: string) =>
  readFixture(`guard-host-6.18-${name}.daemon.log`).split('\n').map((l) => /^pass (\d+) (\d+)$/.exec(l)).filter((m) => m).map((m) => ({ wallMs: Number(m![1]), passMs: Number(m![2]) / 1000 }));
/** First of three consecutive passes over 50 ms inside [fromMs, toMs]. */
function onset(name: string, fromMs: number, toMs: number): number | null {
  const p = passes(name).filter((x) => x.wallMs >= fromMs && x.wallMs <= toMs);
  for (let i = 0; i + 3 <= p.length; i++) if (p.slice(i, i + 3).every((x) => x.passMs > 50)) return p[i].wallMs - p[i].passMs;
  return null;
}
const run = (name: string, det = DEFAULT_DETECTOR) => replaySeries(load(name), det, { ...DEFAULT_POLICY, selfPid: -1 });

describe('replay of recorded storms', () => {
  it('quiet 30 s: no decision', () => assert.equal(run('quiet').length, 0));
  it('a streaming read (one pass over 1 GiB at 32 MiB/s, in the same cgroup): no decision', () => assert.equal(run('stream').length, 0));

  it('the plateau storm: one decision within 3 s of the daemon slowing down, victim the hog', () => {
    const s = load('storm');
    const out = run('storm');
    assert.equal(out.length, 1);
    const { decision: d, choice } = out[0];
    const start = onset('storm', s[0].wallMs, s.at(-1)!.wallMs);
    assert.ok(start != null);
    const latencyMs = d.wallMs - start;
    assert.ok(latencyMs >= 2000 && latencyMs <= 3000, `decided ${latencyMs} ms after onset`);
    assert.equal(d.reason, 'stall-and-major-faults');
    assert.ok(d.memSomeRatio1s! >= 0.1 && d.majorFaultsPerSecHeld! >= 10);
    assert.equal(choice?.victim?.comm, 'mtg-hog');
    assert.ok(choice!.ranked.findIndex((r) => r.comm === 'mtg-daemon') > 0);
  });

  it('the leaking hog: decided before the kernel OOM killer acted', () => {
    const s = load('storm-leak');
    const out = run('storm-leak');
    assert.equal(out.length, 1);
    const oomAt = s.find((x, i) => i > 0 && (x.cgroups[0].oomKills ?? 0) > (s[0].cgroups[0].oomKills ?? 0));
    assert.ok(oomAt, 'the recording holds the kernel OOM kill');
    assert.ok(out[0].decision.tMs < oomAt.tMs, `decision ${out[0].decision.tMs} vs OOM kill ${oomAt.tMs}`);
    assert.equal(out[0].choice?.victim?.comm, 'mtg-hog');
  });

  it('a file re-read in a loop at full speed does slow the daemon 10-fold or more, and is decided (documented in the README)', () => {
    const p = passes('stream-loop').map((x) => x.passMs).sort((a, b) => a - b);
    assert.ok(p[Math.floor(p.length * 0.95)] > 10 * passes('quiet').map((x) => x.passMs).sort((a, b) => a - b)[Math.floor(p.length / 2)]);
    assert.equal(run('stream-loop').length, 1);
  });

  it('thresholds flow through: at 60 % the recorded storm (≤ 53 % per second) is not decided; at 25 % it is', () => {
    assert.equal(run('storm', { ...DEFAULT_DETECTOR, someRatio: 0.6, severeSomeRatio: 0.9, severeFullRatio: 0.9 }).length, 0);
    assert.equal(run('storm', { ...DEFAULT_DETECTOR, someRatio: 0.25 }).length, 1);
  });
});
