import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseVictim, DEFAULT_POLICY, type PolicyConfig } from '../../src/guard/policy.js';
import type { ProcessCounters } from '../../src/guard/sample.js';

const MiB = 1 << 20;
const proc = (pid: number, comm: string, anonMiB: number, extra: Partial<ProcessCounters> = {}): ProcessCounters => ({
  pid, comm, cgroup: '/lab', startTicks: 1000 + pid, anonBytes: anonMiB * MiB, rssFileBytes: 0, rcharBytes: 0, majflt: 0, oomScoreAdj: 0, ...extra,
});
const cfg = (over: Partial<PolicyConfig> = {}): PolicyConfig => ({ ...DEFAULT_POLICY, selfPid: 99999, ...over });
/** Two snapshots 5 s apart. */
const hist = (before: ProcessCounters[], after: ProcessCounters[]) => [{ tMs: 0, processes: before }, { tMs: 5000, processes: after }];

describe('victim policy', () => {
  it('the process that grew is chosen over a bigger one that did not (the lab: daemon maps 150 MiB of files, hog grows)', () => {
    const daemon = (anon: number) => proc(10, 'mtg-daemon', anon, { rssFileBytes: 150 * MiB });
    const h = hist([daemon(200), proc(11, 'mtg-hog', 20)], [daemon(200), proc(11, 'mtg-hog', 120)]);
    const c = chooseVictim(h, 5000, cfg());
    assert.equal(c.victim?.comm, 'mtg-hog');
    assert.equal(c.basis, 'activity');
    assert.equal(c.victim?.anonGrowthBytes, 100 * MiB);
  });

  it('page-cache reads count at readWeight: 100 MiB read (×0.25 = 25) beats 20 MiB grown', () => {
    const h = hist([proc(10, 'reader', 5, { rcharBytes: 0 }), proc(11, 'grower', 5)], [proc(10, 'reader', 5, { rcharBytes: 100 * MiB }), proc(11, 'grower', 25)]);
    assert.equal(chooseVictim(h, 5000, cfg()).victim?.comm, 'reader');
    // …and 60 MiB read (15) does not.
    const h2 = hist([proc(10, 'reader', 5, { rcharBytes: 0 }), proc(11, 'grower', 5)], [proc(10, 'reader', 5, { rcharBytes: 60 * MiB }), proc(11, 'grower', 25)]);
    assert.equal(chooseVictim(h2, 5000, cfg()).victim?.comm, 'grower');
  });

  it('activity just above minActivityBytes ranks by activity; just below falls back to anonymous size', () => {
    const above = hist([proc(10, 'small', 10), proc(11, 'big', 300)], [proc(10, 'small', 10 + 8.5), proc(11, 'big', 300)]);
    assert.equal(chooseVictim(above, 5000, cfg()).victim?.comm, 'small');
    const below = hist([proc(10, 'small', 10), proc(11, 'big', 300)], [proc(10, 'small', 10 + 7.5), proc(11, 'big', 300)]);
    const c = chooseVictim(below, 5000, cfg());
    assert.equal(c.victim?.comm, 'big');
    assert.equal(c.basis, 'anon-size');
  });

  it('never oom_score_adj -1000, never a protected name, cgroup or unit, never itself or pid 1', () => {
    const after = [
      proc(10, 'adj', 500, { oomScoreAdj: -1000 }), proc(11, 'sshd', 500), proc(12, 'x', 500, { cgroup: '/system.slice/critical' }),
      proc(13, 'y', 500, { cgroup: '/system.slice/db.service' }), proc(99999, 'node', 500), proc(1, 'init2', 500), proc(14, 'ok', 1),
    ];
    const c = chooseVictim([{ tMs: 0, processes: after }], 0, cfg({ protect: [...DEFAULT_POLICY.protect, '/system.slice/critical', 'db.service'] }));
    assert.equal(c.victim?.comm, 'ok');
    const why = Object.fromEntries(c.ranked.map((r) => [r.comm, r.excluded]));
    assert.match(why.adj!, /-1000/);
    assert.match(why.sshd!, /protected name/);
    assert.match(why.x!, /protected cgroup/);
    assert.match(why.y!, /protected unit/);
    assert.match(why.node!, /guard itself/);
    assert.match(why.init2!, /pid 1/);
    // -999 is killable.
    assert.equal(chooseVictim([{ tMs: 0, processes: [proc(10, 'adj', 5, { oomScoreAdj: -999 })] }], 0, cfg()).victim?.comm, 'adj');
  });

  it('no victim when all are protected, with why', () => {
    const c = chooseVictim([{ tMs: 0, processes: [proc(11, 'sshd', 50), proc(12, 'kubelet', 50)] }], 0, cfg());
    assert.equal(c.victim, null);
    assert.match(c.why, /all 2 processes are protected/);
  });

  it('--prefer ranks first and --avoid last among the eligible', () => {
    const h = hist([proc(10, 'a', 5), proc(11, 'b', 5)], [proc(10, 'a', 100), proc(11, 'b', 30)]);
    assert.equal(chooseVictim(h, 5000, cfg({ prefer: /^b$/ })).victim?.comm, 'b');
    assert.equal(chooseVictim(h, 5000, cfg({ avoid: /^a$/ })).victim?.comm, 'b');
    assert.equal(chooseVictim(h, 5000, cfg()).victim?.comm, 'a');
  });

  it('a reused pid (other start time) is a new process: no growth from the old one', () => {
    const h = hist([proc(10, 'old', 5), proc(11, 'steady', 300)], [proc(10, 'new', 100, { startTicks: 5 }), proc(11, 'steady', 300)]);
    const c = chooseVictim(h, 5000, cfg());
    assert.equal(c.ranked.find((r) => r.pid === 10)?.anonGrowthBytes, 0);
    assert.equal(c.victim?.comm, 'steady');
  });

  it('snapshots older than the window are ignored', () => {
    const h = [{ tMs: 0, processes: [proc(10, 'a', 5)] }, { tMs: 20000, processes: [proc(10, 'a', 105)] }];
    const c = chooseVictim(h, 20000, cfg());
    assert.equal(c.ranked[0].anonGrowthBytes, 0);
  });

  it('nothing readable → no victim', () => {
    assert.equal(chooseVictim([], 0, cfg()).basis, 'none');
  });
});
