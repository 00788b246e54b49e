import assert from 'node:assert/strict';
import { test } from 'node:test';
import { whereMemoryWent } from '../../src/rules/where-memory-went.js';
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

// A memcg OOM has no global Mem-Info to add up; a hung task has no counters at all.
for (const inputs of [['qemu-6.1-memcg-v2-file-oom.log'], ['qemu-6.1-hung-task.log'], ['host-6.18-meminfo.txt']]) {
  test(`silent on ${inputs.join(' + ')}`, async () => {
    assert.deepEqual((await runRule(whereMemoryWent, inputs)).findings.map((f) => f.title), []);
  });
}
