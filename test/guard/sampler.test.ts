import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discover } from '../../src/guard/discover.js';
import { MapFiles } from '../../src/guard/files.js';
import { keyValues, limitValue, psiTotals } from '../../src/guard/parse.js';
import { Sampler } from '../../src/guard/sampler.js';
import { readFixture } from '../helpers.js';

const V1 = '/sys/fs/cgroup/memory';
const V2 = '/sys/fs/cgroup/unified';
const PSI = readFixture('host-6.18-pressure-memory-under-pressure.txt');
const IO = readFixture('host-6.18-pressure-io-under-pressure.txt');
const V1STAT = readFixture('host-6.18-memcg-v1-under-pressure.memory.stat.txt');
const V2STAT = readFixture('qemu-6.1-memcg-v2-oom.memory.stat.txt');
// v1 prints this for "no limit" (PAGE_COUNTER_MAX pages of 4 KiB), as read on the development machine.
const V1_UNLIMITED = '9223372036854771712\n';

function hybridTree(): MapFiles {
  return new MapFiles({
    '/proc/pressure/memory': PSI, '/proc/pressure/io': IO, '/proc/vmstat': readFixture('host-6.18-vmstat-proc-under-pressure.txt'),
    '/proc/meminfo': readFixture('host-6.18-meminfo-under-pressure.txt'),
    [`${V1}/cgroup.procs`]: '1\n2\n', [`${V1}/memory.limit_in_bytes`]: V1_UNLIMITED,
    [`${V1}/lab/memory.stat`]: V1STAT, [`${V1}/lab/memory.limit_in_bytes`]: '314572800\n', [`${V1}/lab/memory.usage_in_bytes`]: '314000000\n',
    [`${V1}/lab/memory.oom_control`]: readFixture('host-6.18-memcg-v1-oom.memory.oom_control.txt'), [`${V1}/lab/cgroup.procs`]: '',
    [`${V1}/busy/cgroup.procs`]: '77\n', [`${V1}/busy/memory.limit_in_bytes`]: V1_UNLIMITED, [`${V1}/busy/memory.stat`]: V1STAT,
    [`${V1}/empty/cgroup.procs`]: '', [`${V1}/empty/memory.limit_in_bytes`]: V1_UNLIMITED,
    [`${V2}/cgroup.procs`]: '', [`${V2}/lab/memory.pressure`]: PSI, [`${V2}/lab/io.pressure`]: IO, [`${V2}/lab/cgroup.procs`]: '',
    [`${V2}/only2/memory.pressure`]: PSI, [`${V2}/only2/cgroup.procs`]: '55\n',
  });
}

describe('guard parsers over real files', () => {
  it('PSI totals', () => {
    assert.deepEqual(psiTotals(PSI), { someUs: 25111188, fullUs: 23808949 });
    assert.deepEqual(psiTotals(null), { someUs: null, fullUs: null });
    assert.deepEqual(psiTotals('some avg10=0.00 avg60=0.00 avg300=0.00 total=12\n'), { someUs: 12, fullUs: null });
  });
  it('key/value files and limits', () => {
    const kv = keyValues(V1STAT);
    assert.equal(kv.get('total_pgmajfault'), 10977);
    assert.equal(kv.get('total_rss'), 58945536);
    assert.equal(limitValue(V1_UNLIMITED), null);
    assert.equal(limitValue('max\n'), null);
    assert.equal(limitValue('314572800\n'), 314572800);
    assert.equal(limitValue(null), null);
  });
});

describe('cgroup discovery', () => {
  const opts = { v1Root: V1, v2Root: V2, watch: [], maxCgroups: 64, includeRoot: true };
  it('limited or populated groups; v1 paired with its cgroup2 twin; cgroup2-only groups with members', () => {
    const w = discover(hybridTree(), opts);
    assert.deepEqual(w.map((x) => [x.cgroup, !!x.v1Dir, !!x.v2Dir]), [['/', false, false], ['/busy', true, false], ['/lab', true, true], ['/only2', false, true]]);
  });
  it('--watch limits to a subtree; --no-host drops "/"; maxCgroups bounds it', () => {
    assert.deepEqual(discover(hybridTree(), { ...opts, watch: ['/lab'], includeRoot: false }).map((x) => x.cgroup), ['/lab']);
    assert.deepEqual(discover(hybridTree(), { ...opts, watch: ['/la'] }).map((x) => x.cgroup), ['/']);
    assert.equal(discover(hybridTree(), { ...opts, maxCgroups: 2 }).length, 2);
  });
});

describe('sampler', () => {
  const opts = { v1Root: V1, v2Root: V2, watch: [], maxCgroups: 64, includeRoot: true, refreshMs: 5000 };
  it('reads the host from /proc and a hybrid group from v1 counters + cgroup2 pressure', () => {
    const s = new Sampler(hybridTree(), opts).sample(1000, 2000);
    const host = s.cgroups.find((c) => c.cgroup === '/')!;
    assert.equal(host.source, 'host');
    assert.equal(host.memSomeUs, 25111188);
    assert.equal(host.pgmajfault, 11305);
    assert.equal(host.refaultFile, 2848331);
    assert.equal(host.anonBytes, 64304 * 1024);
    assert.equal(s.memAvailableKb, 24329908);
    const lab = s.cgroups.find((c) => c.cgroup === '/lab')!;
    assert.equal(lab.source, 'hybrid');
    assert.deepEqual([lab.memSomeUs, lab.memFullUs, lab.pgmajfault, lab.refaultFile, lab.anonBytes, lab.fileBytes], [25111188, 23808949, 10977, 2829357, 58945536, 57344]);
    assert.deepEqual([lab.limitBytes, lab.usageBytes, lab.oomKills], [314572800, 314000000, 1]);
    // v1 alone: counters but no pressure (null, not 0).
    const busy = s.cgroups.find((c) => c.cgroup === '/busy')!;
    assert.equal(busy.memSomeUs, null);
    assert.equal(busy.limitBytes, null);
  });
  it('v1 counters are the hierarchical total_* ones (a parent whose processes all sit in children)', () => {
    const files = hybridTree();
    files.files[`${V1}/lab/memory.stat`] = readFixture('host-6.18-memcg-v1-parent.memory.stat.txt');
    const lab = new Sampler(files, opts).sample(0, 0).cgroups.find((c) => c.cgroup === '/lab')!;
    // Its own pgmajfault, rss and refaults are 0 in that file; the subtree's are not.
    assert.deepEqual([lab.pgmajfault, lab.anonBytes, lab.refaultFile], [4513, 325419008, 287427]);
  });

  it('cgroup v2 with the memory controller', () => {
    const files = new MapFiles({
      '/sys/fs/cgroup/app/memory.stat': V2STAT, '/sys/fs/cgroup/app/memory.max': '10485760\n', '/sys/fs/cgroup/app/memory.current': readFixture('qemu-6.1-memcg-v2-oom.memory.current.txt'),
      '/sys/fs/cgroup/app/memory.events': readFixture('qemu-6.1-memcg-v2-oom.memory.events.txt'), '/sys/fs/cgroup/app/memory.pressure': PSI,
      '/sys/fs/cgroup/app/cgroup.procs': '',
    });
    const s = new Sampler(files, { ...opts, v1Root: null, v2Root: '/sys/fs/cgroup', includeRoot: false }).sample(0, 0);
    assert.equal(s.cgroups.length, 1);
    const c = s.cgroups[0];
    assert.deepEqual([c.source, c.anonBytes, c.pgmajfault, c.pgscan, c.limitBytes, c.usageBytes, c.oomKills, c.memSomeUs], ['v2', 8462336, 0, 0, 10485760, 8548352, 1, 25111188]);
  });
  it('a cgroup that vanishes reads as nulls from the next slow tick, then is dropped at the next refresh; nothing throws', () => {
    const files = hybridTree();
    const sampler = new Sampler(files, opts);
    const s0 = sampler.sample(0, 0);
    for (const k of Object.keys(files.files)) if (k.includes('/lab/')) files.files[k] = null;
    // The machine's PSI total did not move: nothing stalled, so its last counters stand (PSI gate).
    const s1 = sampler.sample(100, 100);
    assert.equal(s1.cgroups.find((c) => c.cgroup === '/lab')!.memSomeUs, s0.cgroups.find((c) => c.cgroup === '/lab')!.memSomeUs);
    for (let t = 200; t < 1000; t += 100) sampler.sample(t, t);
    const lab = sampler.sample(1000, 1000).cgroups.find((c) => c.cgroup === '/lab')!;
    assert.equal(lab.memSomeUs, null);
    assert.equal(lab.pgmajfault, null);
    const s2 = sampler.sample(6000, 6000);
    assert.equal(s2.cgroups.find((c) => c.cgroup === '/lab'), undefined);
  });
});

/**
 * The quiet-tick saving, over files captured every 100 ms from a real lab cgroup as a storm began
 * (test/fixtures/guard-host-6.18-onset-files.jsonl, bench/guard-capture-files.ts): the PSI `some`
 * totals of the cgroup and of the host do not move through tick 24; tick 25 is the first with a
 * stall (47673 µs in the cgroup over 167 ms), and every later tick stalls too.
 */
describe('sampler: stat files at the slow rate while quiet, at full rate from the first stall tick', () => {
  const lines = readFixture('guard-host-6.18-onset-files.jsonl').trim().split('\n').map((l) => JSON.parse(l) as Record<string, never>);
  const stat = lines[0].static as Record<string, string>;
  const ticks = lines.slice(1) as unknown as { tMs: number; texts: Record<string, string> }[];
  const CAP1 = `${V1}/cap`;
  const CAP2 = `${V2}/cap`;
  const majfault = (text: string) => Number(/^total_pgmajfault (\d+)$/m.exec(text)![1]);

  class LoggedFiles extends MapFiles {
    log: string[] = [];
    override read(path: string): string | null {
      this.log.push(path);
      return super.read(path);
    }
  }
  /** Feeds the captured texts tick by tick; per tick: did it read the cgroup's memory.stat, the host's vmstat, and the samples. */
  function replayTicks(over: { slowEvery?: number; quietStallRatio?: number }, setSlowEvery?: number) {
    const files = new LoggedFiles({
      [`${CAP1}/memory.limit_in_bytes`]: stat['memory.limit_in_bytes'], [`${CAP1}/memory.oom_control`]: stat['memory.oom_control'],
      [`${CAP1}/cgroup.procs`]: '', [`${CAP2}/cgroup.procs`]: '', [`${CAP2}/io.pressure`]: stat['io.pressure'],
      '/proc/pressure/io': stat['/proc/pressure/io'], '/proc/meminfo': stat['/proc/meminfo'],
    });
    const sampler = new Sampler(files, { v1Root: V1, v2Root: V2, watch: ['/cap'], maxCgroups: 8, includeRoot: true, refreshMs: 1e9, slowEvery: 10, ...over });
    if (setSlowEvery != null) sampler.setSlowEvery(setSlowEvery);
    return ticks.map((t) => {
      Object.assign(files.files, {
        [`${CAP2}/memory.pressure`]: t.texts['memory.pressure'], [`${CAP1}/memory.stat`]: t.texts['memory.stat'],
        [`${CAP1}/memory.usage_in_bytes`]: t.texts['memory.usage_in_bytes'], '/proc/pressure/memory': t.texts['/proc/pressure/memory'], '/proc/vmstat': t.texts['/proc/vmstat'],
      });
      files.log = [];
      const s = sampler.sample(t.tMs, t.tMs);
      return { stat: files.log.includes(`${CAP1}/memory.stat`), vmstat: files.log.includes('/proc/vmstat'), pressure: files.log.includes(`${CAP2}/memory.pressure`),
        hostPressure: files.log.filter((p) => p === '/proc/pressure/memory').length === 1, quiet: sampler.quietTick(), calm: sampler.calm(), cap: s.cgroups.find((c) => c.cgroup === '/cap')!, host: s.cgroups.find((c) => c.cgroup === '/')! };
    });
  }
  const readAt = (r: { stat: boolean }[]) => r.flatMap((x, i) => (x.stat ? [i] : []));
  const from25 = Array.from({ length: 15 }, (_, i) => 25 + i);

  it('quiet: read on the first tick and every 10th, carried between; from the first stall tick on, every tick', () => {
    const r = replayTicks({});
    assert.deepEqual(readAt(r), [0, 10, 20, ...from25]);
    assert.deepEqual(r.flatMap((x, i) => (x.vmstat ? [i] : [])), [0, 10, 20, ...from25]);
    // A carried tick shows the counters of the last read (tick 20), the first stall tick its own.
    assert.equal(r[24].cap.pgmajfault, majfault(ticks[20].texts['memory.stat']));
    assert.equal(r[25].cap.pgmajfault, majfault(ticks[25].texts['memory.stat']));
    assert.equal(r[39].cap.pgmajfault, majfault(ticks[39].texts['memory.stat']));
    // PSI itself is read on every tick.
    assert.equal(r[24].cap.memSomeUs, psiTotals(ticks[24].texts['memory.pressure']).someUs);
  });

  it('the floor on both sides: a stall just under it is carried, one at it is read', () => {
    const stalled = psiTotals(ticks[25].texts['memory.pressure']).someUs! - psiTotals(ticks[24].texts['memory.pressure']).someUs!;
    assert.equal(stalled, 47673);
    const share = stalled / ((ticks[25].tMs - ticks[24].tMs) * 1000);
    // A floor this high (28.5 %) is only for the test: ticks 31 (17909 µs in 93 ms) and 35 (27659 µs
    // in 127 ms) stall less and count as quiet on both sides; tick 30 is a slow-rate tick anyway.
    const later = [26, 27, 28, 29, 30, 32, 33, 34, 36, 37, 38, 39];
    assert.deepEqual(readAt(replayTicks({ quietStallRatio: share * 0.999999 })), [0, 10, 20, 25, ...later]);
    assert.deepEqual(readAt(replayTicks({ quietStallRatio: share * 1.000001 })), [0, 10, 20, ...later]);
  });

  it('PSI gate: a group\'s memory.pressure is read only on slow ticks while the machine\'s PSI total stands still, on every tick once it moves; the values are the same', () => {
    const r = replayTicks({});
    assert.deepEqual(r.flatMap((x, i) => (x.pressure ? [i] : [])), [0, 10, 20, ...from25]);
    // quietTick (what the guard carries the protected binaries' cachestat on) is the complement.
    assert.deepEqual(r.flatMap((x, i) => (x.quiet ? [] : [i])), [0, 10, 20, ...from25]);
    // /proc/pressure/memory itself on every tick, and what the group shows on every tick is what its file said then.
    assert.ok(r.every((x) => x.hostPressure));
    ticks.forEach((t, i) => assert.equal(r[i].cap.memSomeUs, psiTotals(t.texts['memory.pressure']).someUs, `tick ${i}`));
    ticks.forEach((t, i) => assert.equal(r[i].cap.memFullUs, psiTotals(t.texts['memory.pressure']).fullUs, `tick ${i}`));
  });

  it('calm (what the guard slows its ticks on): the machine\'s PSI total stood still since the tick before, slow ticks included; setSlowEvery changes the slow period', () => {
    const r = replayTicks({});
    // Tick 0 has no tick before it; ticks 1-24 stand still (10 and 20 are slow ticks, calm too); 25 on stall.
    assert.deepEqual(r.flatMap((x, i) => (x.calm ? [i] : [])), Array.from({ length: 24 }, (_, i) => i + 1));
    assert.deepEqual(readAt(replayTicks({}, 5)), [0, 5, 10, 15, 20, ...from25]);
  });

  it('the saving off: floor 0 or slowEvery 1 reads the stat files on every tick', () => {
    const all = ticks.map((_, i) => i);
    assert.deepEqual(readAt(replayTicks({ quietStallRatio: 0 })), all);
    assert.deepEqual(readAt(replayTicks({ slowEvery: 1 })), all);
  });
});
