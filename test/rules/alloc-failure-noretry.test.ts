import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocFailureNoretry } from '../../src/rules/alloc-failure-noretry.js';
import { available, evidenceText, only, runRule } from './run-rule.js';

// Seed 000's order-2 GFP_KERNEL|__GFP_NORETRY|__GFP_COMP failure in nvidia_uvm, with and without its Mem-Info.
for (const inputs of [['seed000-4.15-page-alloc-failure.log'], ['seed:000']]) {
  test(`fires on ${inputs.join(' + ')}: __GFP_NORETRY, no OOM killer, nvidia_uvm`, { skip: !available(inputs) && 'no seeds' }, async () => {
    const f = await only(allocFailureNoretry, inputs);
    assert.equal(f.title, 'nvidia_uvm: order-2 __GFP_NORETRY allocation failed without reclaiming hard or calling the OOM killer');
    assert.deepEqual(f.data, {
      order: 2, gfpMask: '0x14050c0', gfpFlags: ['GFP_KERNEL', '__GFP_NORETRY', '__GFP_COMP'], costly: false,
      reclaimedHard: false, oomKillerCalled: false, driver: 'nvidia_uvm', driverFunction: 'alloc_internal', modules: ['nvidia_uvm', 'nvidia'],
    });
    assert.ok(f.explanation.includes('gave up without reclaiming hard or calling the OOM killer'));
    assert.ok(f.explanation.includes('nvidia appears only in frames marked "?"'));
    assert.match(evidenceText(f), /alloc_internal\+0x25\/0x60 \[nvidia_uvm\]/);
    assert.match(evidenceText(f), /worker-thread-2: page allocation failure: order:2/);
  });
}

// OOM kills (seed 003, memcg) are not allocation failures; the OOM killer did run there.
const silent = [['seed:003'], ['host-6.18-memcg-v1-oom.dmesg.log'], ['host-6.18-hung-task-fuse.dmesg.log'], ['seed000-4.15-warning-nvme.log'], ['seed:002'], ['seed:004']];
for (const inputs of silent) {
  test(`silent on ${inputs.join(' + ')}`, { skip: !available(inputs) && 'no seeds' }, async () => {
    assert.deepEqual((await runRule(allocFailureNoretry, inputs)).findings, []);
  });
}
