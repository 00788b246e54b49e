import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/index.js';
import { whereMemoryWent } from '../../src/rules/where-memory-went.js';
import { readFixture } from '../helpers.js';
import { evidenceText, only, runRule } from './run-rule.js';

const data = (f: { data?: Record<string, unknown> }) => f.data as Record<string, any>;

// Real reports from a 512 MiB Debian 6.1 guest (test/fixtures/README.md, "issue 7").
test('fires on the huge-page pool: 180 × 2 MiB reserved, all free, 78.7 % of managed memory', async () => {
  const f = await only(whereMemoryWent, ['qemu-6.1-hugetlb-pool-oom.log']);
  assert.equal(f.severity, 'warning');
  assert.deepEqual(data(f).dominant, ['hugetlb']);
  assert.equal(data(f).culprit.poolFreeKb, 180 * 2048);
  assert.match(f.title, /^Most memory was held by huge-page pool 360\.0 MiB \(78\.7 %\): 180 × 2\.0 MiB pages on node 0, 180 of them free/);
  assert.match(evidenceText(f), /hugepages_total=180/);
});

test('fires on the same pool from /proc/meminfo', async () => {
  const f = await only(whereMemoryWent, ['qemu-6.1-hugetlb-pool.meminfo.txt']);
  assert.deepEqual([f.severity, data(f).dominant, data(f).source], ['warning', ['hugetlb'], 'meminfo']);
  assert.match(evidenceText(f), /HugePages_Total:\s+180/);
});

test('fires on a full tmpfs: shmem 107242 pages', async () => {
  const f = await only(whereMemoryWent, ['qemu-6.1-tmpfs-full-oom.log']);
  assert.deepEqual([f.severity, data(f).dominant], ['warning', ['shmem']]);
  assert.equal(data(f).holders.find((h: { id: string }) => h.id === 'shmem').kb, 107242 * 4);
});

test('fires on unreclaimable slab (SysV message queues) and on page tables (forks of a sparse mapping)', async () => {
  const s = await only(whereMemoryWent, ['qemu-6.1-slab-msgmsg-oom.log']);
  assert.deepEqual([s.severity, data(s).dominant], ['warning', ['slab']]);
  assert.match(s.title, /MiB of it unreclaimable/);
  const p = await only(whereMemoryWent, ['qemu-6.1-pagetables-fork-oom.log']);
  assert.deepEqual([p.severity, data(p).dominant], ['warning', ['page-tables']]);
});

test('process memory is named, as info, with the program whose instances hold it', async () => {
  const f = await only(whereMemoryWent, ['qemu-6.1-leak-instances-oom.log']);
  assert.deepEqual([f.severity, data(f).dominant, data(f).culprit.program, data(f).culprit.instances], ['info', ['anon'], 'leaker', 9]);
  assert.match(f.title, /9 instances of leaker hold 103895 pages/);
  // One big hog and a small one of the same name: the big process is named, not "2 instances".
  const g = await only(whereMemoryWent, ['qemu-6.1-swap-full-oom.log']);
  assert.match(g.title, /hog \(pid 102\) holds/);
});

// A memory cgroup's OOM: its own stats against its limit (the share is of the limit, not of RAM).
test('memcg v2 OOM: anon 66912256 bytes of the 65536 kB limit, the hog inside it', async () => {
  const f = await only(whereMemoryWent, ['qemu-6.1-memcg-v2-file-oom.log']);
  assert.equal(f.severity, 'info');
  assert.deepEqual([data(f).source, data(f).limitKb, data(f).dominant], ['memcg', 65536, ['anon']]);
  assert.equal(data(f).holders.find((h: { id: string }) => h.id === 'anon').kb, Math.round(66912256 / 1024));
  assert.match(f.title, /^In cgroup \/mt7, process memory \(anonymous\) 63\.8 MiB \(99\.7 % of the limit\): hog \(pid 108\)/);
});

test('memcg v1 OOM on 6.18: rss and the kmem line', async () => {
  const f = await only(whereMemoryWent, ['host-6.18-memcg-v1-oom.dmesg.log']);
  assert.match(f.explanation, /rss \+ cache − shmem \+ shmem \+ kmem: usage/);
  assert.equal(data(f).holders.find((h: { id: string }) => h.id === 'kernel').kb, 220);
});

// A hung task has no counters at all; on the idle host, free memory is what dominates.
for (const inputs of [['qemu-6.1-hung-task.log'], ['host-6.18-meminfo.txt']]) {
  test(`silent on ${inputs.join(' + ')}`, async () => {
    assert.deepEqual((await runRule(whereMemoryWent, inputs)).findings.map((f) => f.title), []);
  });
}

test('huge-page pool reserved by a mapping: the unused part subtracts HugePages_Rsvd; from an OOM report it is only "free"', async () => {
  const m = await only(whereMemoryWent, ['qemu-6.1-hugetlb-reserved.meminfo.txt']);
  // HugePages_Free 130, HugePages_Rsvd 100: (130 − 100) × 2048 kB.
  assert.match(m.title, /130 of them free, 100 reserved: 60\.0 MiB of the pool is unused \(free and reserved by no mapping\)/);
  assert.equal((m.data as any).culprit.poolUnusedKb, 30 * 2048);
  const r = await only(whereMemoryWent, ['qemu-6.1-hugetlb-reserved-oom.log']);
  assert.match(r.title, /260\.0 MiB of the pool is free \(how much of that a mapping has reserved, the report does not say\)/);
  assert.equal((r.data as any).culprit.poolUnusedKb, null);
});

// Issue 10: a flapping cgroup (three real kills of python3 in /mt-s2mem-flap on this host,
// test/fixtures/README.md "Memory bounds"): one finding for the same holder and culprit.
test('memcg OOMs of one cgroup with the same holder and program: one finding, the last in detail, first and last evidence', async () => {
  const { findings } = await runRule(whereMemoryWent, ['host-6.18-memcg-v1-oom-flapping.dmesg.log']);
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.deepEqual(f.incidents, [0, 1, 2]);
  assert.equal(f.title, 'In cgroup /mt-s2mem-flap, process memory (anonymous) 63.8 MiB (99.6 % of the limit): python3 (pid 23169) holds 17980 pages (70.2 MiB, 100.0 % of the task table\'s rss) (the same at 3 OOM kills)');
  assert.match(f.explanation, /^The same holder filled this cgroup at 3 OOM kills, from 9803\.530525 s after boot to 9809\.062926 s after boot\. The last of them: /);
  assert.deepEqual([data(f).reports, data(f).firstIncident, data(f).lastIncident, data(f).culprit.program], [3, 0, 2, 'python3']);
  // The first header, the last header, the last task table's python3 row.
  assert.deepEqual(f.evidence.map((e) => e.line), [1, 157, 232]);
});

test('groupReports: 2 memcg OOMs group at the default; with 3 they stay one finding each', async () => {
  const two = readFixture('host-6.18-memcg-v1-oom-flapping.dmesg.log').split('\n').slice(0, 156).join('\n') + '\n';
  const grouped = await analyze([{ name: 'two', text: two }], { rules: [whereMemoryWent] });
  assert.deepEqual(grouped.findings.map((f) => f.incidents), [[0, 1]]);
  const apart = await analyze([{ name: 'two', text: two }], { rules: [whereMemoryWent], ruleOptions: { 'where-memory-went': { groupReports: 3 } } });
  assert.deepEqual(apart.findings.map((f) => f.incidents), [[0], [1]]);
  assert.doesNotMatch(apart.findings[0].title, /the same at/);
});
