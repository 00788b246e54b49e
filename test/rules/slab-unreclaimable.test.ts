import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slabUnreclaimable } from '../../src/rules/slab-unreclaimable.js';
import { evidenceText, only, runRule } from './run-rule.js';

// msgfill: SysV message queues filled until the OOM killer ran (512 MiB guest, 6.1).
test('fires on the message-queue fill: unreclaimable slab over 90 % of managed memory', async () => {
  const f = await only(slabUnreclaimable, ['qemu-6.1-slab-msgmsg-oom.log']);
  assert.equal(f.severity, 'critical');
  assert.match(f.title, /^Unreclaimable kernel slab holds 419\.4 MiB \(91\.7 %\) of 428\.2 MiB slab/);
  assert.match(evidenceText(f), /slab_unreclaimable:/);
  // The report's own table: kmalloc-cg-4k 416752KB is the msg_msg buffers.
  assert.match(f.explanation, /names \d+ caches holding [\d.]+ MiB; the largest: kmalloc-cg-4k 407\.0 MiB/);
  assert.match(evidenceText(f), /kmalloc-cg-4k\s+416752KB\s+416752KB/);
});

// arm64 guest with cma=256M: the same message-queue fill, caught with a smaller share.
test('fires on the arm64 CMA guest too, naming kmalloc-cg-4k', async () => {
  const f = await only(slabUnreclaimable, ['qemu-6.1-arm64-cma-unmovable-oom.log']);
  assert.match(f.explanation, /the largest: kmalloc-cg-4k 195\.6 MiB/);
});

// seed 001: slab 504.6 MiB of 60.6 GiB; the 6.18 host: 24 MiB unreclaimable.
for (const inputs of [['qemu-6.1-global-oom.log'], ['seed001-5.10-meminfo.txt'], ['host-6.18-meminfo.txt'], ['qemu-6.1-tmpfs-full-oom.log']]) {
  test(`silent on ${inputs.join(' + ')}`, async () => {
    assert.deepEqual((await runRule(slabUnreclaimable, inputs)).findings, []);
  });
}
