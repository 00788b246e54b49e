import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minFreeKbytes } from '../../src/rules/min-free-kbytes.js';
import { available, evidenceText, only, runRule } from './run-rule.js';

// Seed 004: 80.6 MB free of 15.4 GB while ps waits in __alloc_pages_nodemask; the author advised ~1 % of RAM.
for (const inputs of [['seed004-3.10-crash-kmem-i.txt', 'seed004-3.10-crash-bt-ps-owner.txt'], ['seed:004']]) {
  test(`fires on ${inputs.join(' + ')}: raise to ~1 % of RAM (161718 kB)`, { skip: !available(inputs) && 'no seeds' }, async () => {
    const f = await only(minFreeKbytes, inputs);
    assert.equal(f.severity, 'info');
    assert.deepEqual(f.data, { currentMinFreeKb: null, defaultMinFreeKb: 16085, suggestedMinFreeKb: 161718, totalKb: 16171780, reasons: 1 });
    assert.ok(f.explanation.includes('Free memory was 82488 kB (80.6 MiB) (0.5 % of 15.4 GiB)'));
    assert.ok(f.explanation.includes('What it costs'));
    assert.ok(f.explanation.includes('once memory use is under control'));
    assert.match(evidenceText(f), /FREE 20622 80\.6 MB 0% of TOTAL MEM/);
    assert.match(evidenceText(f), /__alloc_pages_nodemask at ffffffff8111d8b8/);
  });
}

// One OOM below min is not "repeatedly"; an order-2 GFP_KERNEL failure is not atomic; free memory
// without an allocation stuck is no evidence; an order-9 GFP_ATOMIC failure with free memory well above
// low (the blocks were missing, not the reserve); idle hosts and memcg OOMs.
const silent = [['qemu-6.1-page-alloc-failure-order9-atomic.log'], ['qemu-6.1-global-oom.log'], ['seed:003'], ['seed:000'], ['seed000-4.15-page-alloc-failure.log', 'seed000-4.15-meminfo-after-failure.log'], ['seed004-3.10-crash-kmem-i.txt'], ['host-6.18-zoneinfo.txt'], ['host-6.18-memcg-v1-oom.dmesg.log'], ['seed:001'], ['seed:002']];
for (const inputs of silent) {
  test(`silent on ${inputs.join(' + ')}`, { skip: !available(inputs) && 'no seeds' }, async () => {
    assert.deepEqual((await runRule(minFreeKbytes, inputs)).findings, []);
  });
}
