import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tmpfsShmem } from '../../src/rules/tmpfs-shmem.js';
import { evidenceText, only, runRule } from './run-rule.js';

// dd into a tmpfs mounted with size=100% on a 512 MiB Debian 6.1 guest.
test('fires on the full tmpfs: shmem 107242 pages of 117042 managed', async () => {
  const f = await only(tmpfsShmem, ['qemu-6.1-tmpfs-full-oom.log']);
  assert.equal(f.severity, 'critical');
  assert.equal((f.data as any).kb, 107242 * 4);
  assert.match(f.title, /^tmpfs or shared memory holds 418\.9 MiB \(91\.6 %\)/);
  assert.match(f.explanation, /shmem-rss columns count only pages that processes map/);
  assert.match(evidenceText(f), /shmem:107242/);
});

for (const inputs of [['qemu-6.1-global-oom.log'], ['qemu-6.1-hugetlb-pool-oom.log'], ['host-6.18-meminfo.txt'], ['seed001-5.10-meminfo.txt']]) {
  test(`silent on ${inputs.join(' + ')}`, async () => {
    assert.deepEqual((await runRule(tmpfsShmem, inputs)).findings, []);
  });
}
