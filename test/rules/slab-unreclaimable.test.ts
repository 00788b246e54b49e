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

// 5.10 has no kmalloc-cg-* caches (5.14+): the message buffers are in plain kmalloc-4k.
test('fires on the 5.10 run, naming kmalloc-4k from its Unreclaimable slab info', async () => {
  const f = await only(slabUnreclaimable, ['qemu-5.10-slab-msgmsg-oom.log']);
  assert.equal(f.severity, 'critical');
  assert.match(f.explanation, /the largest: kmalloc-4k 417\.1 MiB/);
  assert.match(evidenceText(f), /kmalloc-4k\s+427128KB/);
});

// The same SysV message-queue fill on a 6.1 guest, stopped short of an OOM by kernel.msgmni = 18000
// (72000 messages of 4000 bytes): /proc/meminfo and /proc/slabinfo taken right after, no kernel report.
test('fires from /proc/meminfo and names the largest caches from /proc/slabinfo (no OOM report needed)', async () => {
  const f = await only(slabUnreclaimable, ['qemu-6.1-slab-msgmsg.meminfo.txt', 'qemu-6.1-slab-msgmsg.slabinfo.txt']);
  assert.equal(f.severity, 'critical'); // SUnreclaim 298908 of MemTotal 468168 kB: 63.8 %
  assert.equal((f.data as any).measuredKb, 298908);
  // kmalloc-cg-4k: 9002 slabs × 8 pages × 4 KiB = 288064 kB.
  assert.match(f.explanation, /Largest caches: kmalloc-cg-4k 281\.3 MiB/);
  assert.match(evidenceText(f), /^kmalloc-cg-4k +72016 +72016 +4096/m);
  const alone = await only(slabUnreclaimable, ['qemu-6.1-slab-msgmsg.meminfo.txt']);
  assert.match(alone.explanation, /The input names no cache/);
});
