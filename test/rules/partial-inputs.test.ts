import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze, type Finding } from '../../src/index.js';
import { RULES } from '../../src/rules/index.js';
import { readFixture } from '../helpers.js';

/**
 * "Never conclude from what is not there": every rule gets a partial input, made from a real
 * fixture it fires on by leaving whole lines out (a report cut off, lines skipped by whoever pasted
 * it; no line is edited), and must stay silent, say it cannot tell, or claim only what is still shown.
 */
const lines = (n: string) => readFixture(n).split('\n');
const until = (n: string, re: RegExp) => { const l = lines(n); const i = l.findIndex((x) => re.test(x)); assert.ok(i > 0, `${re} in ${n}`); return l.slice(0, i).join('\n') + '\n'; };
const drop = (n: string, re: RegExp) => { const l = lines(n); assert.ok(l.some((x) => re.test(x)), `${re} in ${n}`); return l.filter((x) => !re.test(x)).join('\n'); };
const data = (f: Finding) => f.data as Record<string, any>;

type Expect = 'silent' | ((fs: Finding[]) => void);
const CASES: Record<string, [string, string, Expect]> = {
  'zone-below-min': ['global OOM cut before its zone lines', until('qemu-6.1-global-oom.log', /DMA32 free:/), 'silent'],
  fragmentation: ['order-9 failure without its buddy lists', drop('qemu-6.1-page-alloc-failure-order9-atomic.log', /(?:DMA32|DMA): \d+\*/), 'silent'],
  'alloc-failure-noretry': ['seed 000 failure without its header line (no order, no mode)', drop('seed000-4.15-page-alloc-failure.log', /page allocation failure/), 'silent'],
  'repeated-oom-victim': ['only the first of the tmpfs run\'s OOM reports', readFixture('qemu-6.1-tmpfs-full-oom.log'), 'silent'],
  'memcg-limit': ['memcg v2 OOM without its "memory:"/"swap:" lines', drop('qemu-6.1-memcg-v2-file-oom.log', /memory: usage|swap: usage/), (fs) => {
    // The cgroup hit its limit (CONSTRAINT_MEMCG says so), but no limit figure is invented.
    assert.equal(fs.length, 1);
    assert.deepEqual([data(fs[0]).limitKb, data(fs[0]).usageKb, data(fs[0]).failcnt], [null, null, null]);
  }],
  'hung-task': ['hung-task report cut before its stack', until('qemu-6.1-hung-task.log', /Call Trace/), (fs) => {
    assert.deepEqual([data(fs[0]).stackKnown, data(fs[0]).waitKind], [false, null]);
    assert.match(fs[0].explanation, /what the task waited for is unknown/);
  }],
  'soft-lockup': ['soft lockup cut after its first line', until('qemu-6.1-soft-lockup.log', /Modules linked in/), (fs) => {
    assert.deepEqual([data(fs[0]).topFrames, data(fs[0]).modules, data(fs[0]).reclaiming], [[], [], false]);
  }],
  taint: ['WARNING/BUG without CPU, Tainted and module lines', drop('qemu-6.1-warning-and-bug.log', /CPU: \d+ PID|Tainted:|Modules linked in/), 'silent'],
  'driver-warning': ['nvme WARNING cut before its call trace', until('seed000-4.15-warning-nvme.log', /Call Trace/), 'silent'],
  'unaccounted-memory': ['seed 001 meminfo cut after Mapped', lines('seed001-5.10-meminfo.txt').slice(0, 20).join('\n') + '\n', (fs) => {
    assert.deepEqual(fs.map((f) => [f.severity, data(f).unaccountedKb]), [['info', null]]);
    assert.match(fs[0].title, /^Cannot tell/);
  }],
  'driver-suspect': ['seed 001 slabtop without the meminfo', readFixture('seed001-5.10-slabtop.txt'), (fs) => {
    // The driver is named from its cache, but nothing is said to be missing: no meminfo, no remainder.
    assert.deepEqual(fs.map((f) => [f.severity, data(f).unaccountedKb]), [['info', null]]);
  }],
  'page-cache-thrash': ['seed 002 abnormal top screen alone', readFixture('seed002-4.9-top-busybox-abnormal.txt'), (fs) => {
    assert.ok(fs.every((f) => f.severity !== 'critical'), 'one screen is not enough for a critical verdict');
  }],
  'process-growth': ['one top screen of the two', readFixture('seed002-4.9-top-busybox-abnormal.txt'), 'silent'],
  'lock-convoy': ['seed 004 ps without the mutex, bt or waiters', readFixture('seed004-3.10-crash-ps-un.txt'), 'silent'],
  overcommit: ['seed 001 meminfo cut before CommitLimit', until('seed001-5.10-meminfo.txt', /^CommitLimit/), 'silent'],
  'unkillable-task': ['seed 003 zone excerpt (no task table)', readFixture('seed003-4.9-dma32-zone-excerpt.log'), 'silent'],
  'min-free-kbytes': ['a single global OOM (no repetition, no atomic failure)', readFixture('qemu-6.1-global-oom.log'), 'silent'],
  'where-memory-went': ['huge-page meminfo without its HugePages lines', drop('qemu-6.1-hugetlb-pool.meminfo.txt', /^(HugePages_|Hugepagesize|Hugetlb)/), 'silent'],
  'hugepage-pool': ['huge-page OOM without its hugepages line', drop('qemu-6.1-hugetlb-pool-oom.log', /hugepages_total/), 'silent'],
  'tmpfs-shmem': ['tmpfs OOM cut before its node line', until('qemu-6.1-tmpfs-full-oom.log', /Node 0 active_anon/), 'silent'],
  'page-table-bloat': ['page-table meminfo without its HugePages lines', drop('qemu-6.1-pagetables-fork.meminfo.txt', /^(HugePages_|Hugepagesize|Hugetlb)/), (fs) => {
    // PageTables and MemTotal are both there: their ratio does not depend on the missing lines.
    assert.deepEqual(fs.map((f) => [data(f).kb, data(f).totalKb]), [[404648, 468168]]);
  }],
  'slab-unreclaimable': ['slab OOM cut before its node line', until('qemu-6.1-slab-msgmsg-oom.log', /Node 0 active_anon/), 'silent'],
  'manual-oom': ['sysrq f report without its header (no order)', drop('qemu-6.1-sysrq-f-manual-oom.log', /invoked oom-killer/), 'silent'],
  'program-memory': ['leak OOM cut inside its task table', until('qemu-6.1-leak-instances-oom.log', /\[ {5}97\]/), 'silent'],
  'swap-state': ['swap OOM without its "Free swap" line', drop('qemu-6.1-swap-full-oom.log', /Free swap/), 'silent'],
  'guard-storm': ['a guard decision without its stall and fault figures', drop('guard-host-6.18-storm-bundle.decision.json', /"majorFaultsPerSecHeld"|"memSomeRatio1s"/), (fs) => {
    // The decision is a recorded fact; the figures it lost are shown as unknown, never invented.
    assert.equal(fs.length, 1);
    assert.match(fs[0].title, /memory stall \? % of a second, \? major faults\/s/);
    assert.doesNotMatch(fs[0].explanation, /null|NaN|undefined/);
  }],
  'strict-overcommit': ['the ENOMEM line alone (no mode, no counters)', readFixture('qemu-6.1-overcommit-strict.hog-stderr.txt'), 'silent'],
};

test('every rule has a partial-input case', () => {
  assert.deepEqual(RULES.map((r) => r.meta.id).filter((id) => !(id in CASES)), []);
});

for (const rule of RULES) {
  const c = CASES[rule.meta.id];
  if (!c) continue;
  const [what, text, expect] = c;
  test(`${rule.meta.id}: ${what}`, async () => {
    const a = await analyze([{ name: 'partial.log', text }], { rules: [rule] });
    if (expect === 'silent') assert.deepEqual(a.findings.map((f) => f.title), []);
    else expect(a.findings);
  });
}
