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
  it('a cgroup that vanishes reads as nulls, then is dropped at the next refresh; nothing throws', () => {
    const files = hybridTree();
    const sampler = new Sampler(files, opts);
    sampler.sample(0, 0);
    for (const k of Object.keys(files.files)) if (k.includes('/lab/')) files.files[k] = null;
    const s1 = sampler.sample(100, 100);
    const lab = s1.cgroups.find((c) => c.cgroup === '/lab')!;
    assert.equal(lab.memSomeUs, null);
    assert.equal(lab.pgmajfault, null);
    const s2 = sampler.sample(6000, 6000);
    assert.equal(s2.cgroups.find((c) => c.cgroup === '/lab'), undefined);
  });
});
