import assert from 'node:assert/strict';
import { test } from 'node:test';
import { driverSuspect } from '../../src/rules/driver-suspect.js';
import { available, evidenceText, only, runRule } from './run-rule.js';

// Seed 001: nvidia_pte_cache with 8650926 objects, one 4 KiB page each ≈ 33.0 GiB of the 33.8 GiB missing.
for (const inputs of [['seed001-5.10-meminfo.txt', 'seed001-5.10-slabtop.txt'], ['seed:001']]) {
  test(`fires on ${inputs.join(' + ')}: nvidia, strong match`, { skip: !available(inputs) && 'no seeds' }, async () => {
    const f = await only(driverSuspect, inputs);
    assert.equal(f.severity, 'critical');
    const d = f.data as Record<string, unknown>;
    assert.deepEqual([d.driver, d.evidence, d.match, d.estimateKb, d.unaccountedKb, d.assumedPageSizeKb], ['nvidia', 'slab nvidia_pte_cache-2782818403 8650926 objects', 'strong', 34603704, 35413640, 4]);
    assert.equal(f.title, 'The nvidia driver is the prime suspect (nvidia_pte_cache-2782818403: 8650926 objects ≈ 33.0 GiB) for 33.8 GiB held outside the counters');
    assert.ok(f.explanation.includes('97.7 % of that: a strong match'));
    assert.ok(f.explanation.includes('charged to no memory cgroup'));
    assert.match(evidenceText(f), /^8650926 8650926 100%\s+0\.04K\s+84813\s+102\s+339252K nvidia_pte_cache-2782818403$/m);
  });
}

test('the slab cache alone names nvidia but cannot say how well it matches', async () => {
  const f = await only(driverSuspect, ['seed001-5.10-slabtop.txt']);
  assert.deepEqual([f.severity, (f.data as Record<string, unknown>).match, (f.data as Record<string, unknown>).unaccountedKb], ['info', 'unknown', null]);
});

// Seed 003: virtballoon_oom_notify [virtio_balloon] in the OOM trace, 375.8 MiB in no counter.
for (const inputs of [['seed003-4.9-oom-folded-one-line.log'], ['seed:003']]) {
  test(`fires on ${inputs.join(' + ')}: the virtio balloon`, { skip: !available(inputs) && 'no seeds' }, async () => {
    const f = await only(driverSuspect, inputs);
    assert.equal(f.severity, 'critical');
    const d = f.data as Record<string, unknown>;
    assert.deepEqual([d.driver, d.evidence, d.match, d.unaccountedKb], ['virtio_balloon', 'call trace virtballoon_oom_notify [virtio_balloon]', 'unknown', 384832]);
    assert.deepEqual(d.frames, [{ fn: 'virtballoon_oom_notify', module: 'virtio_balloon', unreliable: true }]);
    assert.ok(f.explanation.includes('hands them back to the host'));
    assert.match(evidenceText(f), /virtballoon_oom_notify\+0x25\/0x70 \[virtio_balloon\]/);
  });
}

// Seed 000: nvidia_uvm made the failing allocation; nothing shows memory outside the counters.
for (const inputs of [['seed000-4.15-page-alloc-failure.log'], ['seed:000']]) {
  test(`fires on ${inputs.join(' + ')}: nvidia_uvm in the trace, info only`, { skip: !available(inputs) && 'no seeds' }, async () => {
    const f = await only(driverSuspect, inputs);
    assert.equal(f.severity, 'info');
    assert.equal((f.data as Record<string, unknown>).driver, 'nvidia');
    assert.ok(f.title.startsWith('The nvidia driver is in the call trace (alloc_internal [nvidia_uvm])'));
    assert.match(evidenceText(f), /alloc_internal\+0x25\/0x60 \[nvidia_uvm\]/);
  });
}

// No driver slab, frame or module; and a meminfo whose remainder is large but with no driver named.
const silent = [['host-6.18-slabinfo.txt'], ['host-6.18-slabtop.txt'], ['host-6.18-memcg-v1-oom.dmesg.log'], ['seed001-5.10-meminfo.txt'], ['seed:002'], ['seed:004'], ['seed000-4.15-warning-nvme.log']];
for (const inputs of silent) {
  test(`silent on ${inputs.join(' + ')}`, { skip: !available(inputs) && 'no seeds' }, async () => {
    assert.deepEqual((await runRule(driverSuspect, inputs)).findings, []);
  });
}
