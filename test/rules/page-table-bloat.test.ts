import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageTableBloat } from '../../src/rules/page-table-bloat.js';
import { evidenceText, only, runRule } from './run-rule.js';

// ptfork: 2 GiB mapped, one page touched per 2 MiB, then forked 200 times (512 MiB guest, 6.1).
test('fires on the fork storm: page tables 88 % of managed memory, ptfork named from pgtables_bytes', async () => {
  const f = await only(pageTableBloat, ['qemu-6.1-pagetables-fork-oom.log']);
  assert.equal(f.severity, 'critical');
  assert.match(f.title, /^Page tables hold 403\.0 MiB \(88\.1 %\)/);
  assert.match(f.explanation, /\d+ ptfork processes hold/);
  assert.match(evidenceText(f), /pagetables:/);
});

// Taken after the OOM killer killed the parent: its 200 children still sleep, each with its copy.
test('fires on the meminfo taken after the kill: PageTables 404648 kB of 468168 kB', async () => {
  const f = await only(pageTableBloat, ['qemu-6.1-pagetables-fork.meminfo.txt']);
  assert.deepEqual([f.severity, (f.data as any).kb, (f.data as any).totalKb], ['critical', 404648, 468168]);
  assert.match(evidenceText(f), /PageTables:\s+404648 kB/);
});

for (const inputs of [['qemu-6.1-global-oom.log'], ['qemu-6.1-leak-instances-oom.log'], ['host-6.18-meminfo.txt'], ['seed001-5.10-meminfo.txt']]) {
  test(`silent on ${inputs.join(' + ')}`, async () => {
    assert.deepEqual((await runRule(pageTableBloat, inputs)).findings, []);
  });
}
