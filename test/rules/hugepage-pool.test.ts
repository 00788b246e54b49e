import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hugepagePool } from '../../src/rules/hugepage-pool.js';
import { evidenceText, only, runRule } from './run-rule.js';

// 512 MiB Debian 6.1 guest with vm.nr_hugepages=180 (test/fixtures/README.md, issue 7).
test('fires on the OOM report: 180 × 2048 kB of 468168 kB managed, all free', async () => {
  const f = await only(hugepagePool, ['qemu-6.1-hugetlb-pool-oom.log']);
  assert.equal(f.severity, 'critical');
  assert.deepEqual([(f.data as any).kb, (f.data as any).totalKb], [180 * 2048, (130942 - 13900) * 4]);
  assert.match(f.title, /holds 360\.0 MiB \(78\.7 %\), 360\.0 MiB of it unused/);
  assert.match(f.explanation, /180 pages of 2\.0 MiB on node 0 \(180 free/);
  assert.match(evidenceText(f), /hugepages_total=180 hugepages_free=180/);
});

test('fires on the meminfo of the same guest, with HugePages_Rsvd', async () => {
  const f = await only(hugepagePool, ['qemu-6.1-hugetlb-pool.meminfo.txt']);
  assert.equal((f.data as any).kb, 368640);
  assert.match(f.explanation, /180 pages of 2\.0 MiB \(180 free, 0 reserved/);
  assert.match(evidenceText(f), /HugePages_Total:\s+180/);
});

for (const inputs of [['qemu-6.1-global-oom.log'], ['qemu-6.1-tmpfs-full-oom.log'], ['host-6.18-meminfo.txt'], ['qemu-6.1-arm64-global-oom.log']]) {
  test(`silent on ${inputs.join(' + ')} (no pool, or an empty one)`, async () => {
    assert.deepEqual((await runRule(hugepagePool, inputs)).findings, []);
  });
}
