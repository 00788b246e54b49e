import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hugepagePool } from '../../src/rules/hugepage-pool.js';
import { evidenceText, only, runRule } from './run-rule.js';

// 512 MiB Debian 6.1 guest with vm.nr_hugepages=180 (test/fixtures/README.md, issue 7).
test('fires on the OOM report: 180 × 2048 kB of 468168 kB managed, all free', async () => {
  const f = await only(hugepagePool, ['qemu-6.1-hugetlb-pool-oom.log']);
  assert.equal(f.severity, 'critical');
  assert.deepEqual([(f.data as any).kb, (f.data as any).totalKb], [180 * 2048, (130942 - 13900) * 4]);
  // The report prints hugepages_free, not how many of them a mapping has reserved: "free", not "unused".
  assert.match(f.title, /holds 360\.0 MiB \(78\.7 %\), 360\.0 MiB of it free \(how much of that a mapping has reserved, the input does not say\)/);
  assert.match(f.explanation, /HugePages_Rsvd in \/proc\/meminfo/);
  assert.match(f.explanation, /180 pages of 2\.0 MiB on node 0 \(180 free/);
  assert.match(evidenceText(f), /hugepages_total=180 hugepages_free=180/);
});

test('fires on the meminfo of the same guest, with HugePages_Rsvd', async () => {
  const f = await only(hugepagePool, ['qemu-6.1-hugetlb-pool.meminfo.txt']);
  assert.match(f.title, /360\.0 MiB of it unused, out of reach/);
  assert.equal((f.data as any).kb, 368640);
  assert.match(f.explanation, /180 pages of 2\.0 MiB \(180 free, 0 reserved/);
  assert.match(evidenceText(f), /HugePages_Total:\s+180/);
});

for (const inputs of [['qemu-6.1-global-oom.log'], ['qemu-6.1-tmpfs-full-oom.log'], ['host-6.18-meminfo.txt'], ['qemu-6.1-arm64-global-oom.log']]) {
  test(`silent on ${inputs.join(' + ')} (no pool, or an empty one)`, async () => {
    assert.deepEqual((await runRule(hugepagePool, inputs)).findings, []);
  });
}

// The same scenario on a Debian 5.10 kernel (bullseye, 5.10.218): the 5.10 Mem-Info spelling.
test('fires on the 5.10 report too: 180 × 2048 kB of (130942 − 12902) × 4 kB', async () => {
  const f = await only(hugepagePool, ['qemu-5.10-hugetlb-pool-oom.log']);
  assert.deepEqual([f.severity, (f.data as any).kb, (f.data as any).totalKb], ['critical', 368640, (130942 - 12902) * 4]);
});

// The same 180-page pool with a program that mapped 300 MiB of it (MAP_HUGETLB) and touched 100 MiB:
// HugePages_Free 130, HugePages_Rsvd 100, so only 30 pages (60 MiB, 13.1 %) are unused.
test('a pool its user has reserved: silent on the meminfo (60 MiB unused), "free", never "unused", on the OOM report', async () => {
  assert.deepEqual((await runRule(hugepagePool, ['qemu-6.1-hugetlb-reserved.meminfo.txt'])).findings, []);
  const f = await only(hugepagePool, ['qemu-6.1-hugetlb-reserved-oom.log']);
  assert.match(f.title, /holds 360\.0 MiB \(78\.7 %\), 260\.0 MiB of it free \(how much of that a mapping has reserved, the input does not say\)/);
  assert.doesNotMatch(f.title, /unused/);
  assert.equal((f.data as any).measuredKb, 130 * 2048);
});
