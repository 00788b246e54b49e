import assert from 'node:assert/strict';
import { test } from 'node:test';
import { programMemory } from '../../src/rules/program-memory.js';
import { evidenceText, only, runRule } from './run-rule.js';

// 8 × `leaker 40` and a growing ninth leaker on a 512 MiB Debian 6.1 guest (and a 20 MiB hog).
test('fires on nine leaker instances: 103895 of 109191 task-table pages', async () => {
  const f = await only(programMemory, ['qemu-6.1-leak-instances-oom.log']);
  const d = f.data as any;
  assert.deepEqual([d.program, d.instances, d.rssPages, d.tableRssPages, d.totalKb], ['leaker', 9, 8 * 10444 - 1 + 20344, 8 * 10444 - 1 + 20344 + 5296, 468168]);
  assert.equal(f.title, "9 instances of leaker held 405.8 MiB (88.8 % of memory): one program's copies together");
  assert.match(f.explanation, /pid 101 20344 pages/);
  assert.match(evidenceText(f), /leaker$/m);
});

test('one big process among smaller ones of the same name is named as the process', async () => {
  const f = await only(programMemory, ['qemu-6.1-swap-full-oom.log']);
  assert.match(f.title, /^hog \(pid 102 and 1 smaller process of that name\) held/);
});

// A memcg OOM (the cgroup rule speaks), a tmpfs fill (the task table holds little), the seed 003
// tor (69 % of the table but 36.7 % of memory: fires), a page-table fork storm (rss tiny).
for (const inputs of [['qemu-6.1-memcg-v2-file-oom.log'], ['qemu-6.1-tmpfs-full-oom.log'], ['qemu-6.1-hugetlb-pool-oom.log'], ['host-6.18-meminfo.txt']]) {
  test(`silent on ${inputs.join(' + ')}`, async () => {
    assert.deepEqual((await runRule(programMemory, inputs)).findings.map((f) => f.title), []);
  });
}
