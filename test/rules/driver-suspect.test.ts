import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { analyze } from '../../src/index.js';
import { formatKb } from '../../src/model/units.js';
import { driverSuspect } from '../../src/rules/driver-suspect.js';
import { fixturePath, seedPath } from '../helpers.js';
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

// Seed 001's kprobe excerpt and funccount table: the excerpt's arg1 sum, never the author's total.
test('seed 001 whole: the kprobe excerpt on nvos_create_alloc [nvidia] is summed over the lines present and called an excerpt', { skip: !available(['seed:001']) && 'no seeds' }, async () => {
  const f = await only(driverSuspect, ['seed:001']);
  // Independently of the parser: every "arg1=0x…" in the seed (the trace block is the only place with hex values).
  const values = [...readFileSync(seedPath('001')!, 'utf8').matchAll(/arg1=0x([0-9a-f]+)/g)].map((m) => parseInt(m[1], 16));
  const sum = values.reduce((s, v) => s + v, 0);
  assert.equal(values.length, 24);
  const d = f.data as { kprobes: Record<string, unknown>[]; funccount: { name: string; count: number; free: boolean }[] };
  assert.deepEqual(d.kprobes, [{ symbol: 'nvos_create_alloc', module: 'nvidia', events: 24, arg: 'arg1', pagesSum: sum, estimateKb: sum * 4, elided: true }]);
  assert.ok(f.explanation.includes(`kprobe on nvos_create_alloc [nvidia]: 24 events, arg1 (pages) sums to ${sum} pages = ${formatKb(sum * 4)}`), f.explanation);
  assert.ok(f.explanation.includes('The trace is an excerpt') && f.explanation.includes('covers only the 24 lines present, not the driver\'s total'));
  assert.ok(!f.explanation.includes('8231127') && !f.explanation.includes('31.39'), 'never claims the author\'s total');
  // funccount: the allocation functions named as supporting evidence, the frees beside them.
  assert.ok(f.explanation.includes("funccount 'nv*' counted calls of the driver's allocation functions: nv_alloc_pages 8191, nvos_create_alloc 8191"));
  assert.ok(f.explanation.includes('nv_free_pages 8212') && f.explanation.includes('supporting evidence'));
  assert.deepEqual(d.funccount.filter((x) => !x.free).map((x) => x.name).sort(), ['nv_alloc_contig_pages', 'nv_alloc_pages', 'nv_alloc_system_pages', 'nvos_create_alloc']);
  assert.match(evidenceText(f), /myprobe: \(nvos_create_alloc\+0x0\/0x1a0 \[nvidia\]\) arg1=0x1$/m);
  assert.match(evidenceText(f), /^\s+\.\.\.\. 省略若干$/m);
  assert.match(evidenceText(f), /^nv_alloc_pages\s+8191$/m);
  // The slab estimate still leads: title and match unchanged.
  assert.equal((f.data as Record<string, unknown>).match, 'strong');
});

test('the kprobe excerpt alone names nvidia as allocating, info only', async () => {
  const f = await only(driverSuspect, ['seed001-5.10-kprobe-trace.txt']);
  assert.equal(f.severity, 'info');
  assert.equal(f.title, 'The nvidia driver was allocating pages (kprobe on nvos_create_alloc [nvidia]: 24 events); this input shows no large amount of memory outside the counters');
  assert.equal((f.data as Record<string, unknown>).evidence, 'kprobe nvos_create_alloc [nvidia] 24 events');
});

test('without its elision line the trace is compared with the missing memory (a weak match: info)', async () => {
  const trace = readFileSync(fixturePath('seed001-5.10-kprobe-trace.txt'), 'utf8').split('\n').slice(0, 24).join('\n');
  const a = await analyze([{ name: 'trace.txt', text: trace }, { path: fixturePath('seed001-5.10-meminfo.txt') }], { rules: [driverSuspect] });
  assert.equal(a.findings.length, 1);
  const f = a.findings[0];
  assert.equal(f.severity, 'info');
  assert.ok(f.explanation.includes('That is 0.015 % of the 33.8 GiB outside the counters: a weak match') && !f.explanation.includes('excerpt'), f.explanation);
});

test('funccount alone is silent; with the missing memory it names nvidia as info', async () => {
  assert.deepEqual((await runRule(driverSuspect, ['seed001-5.10-funccount.txt'])).findings, []);
  const f = await only(driverSuspect, ['seed001-5.10-funccount.txt', 'seed001-5.10-meminfo.txt']);
  assert.deepEqual([f.severity, (f.data as Record<string, unknown>).driver], ['info', 'nvidia']);
  assert.match(evidenceText(f), /^nvos_create_alloc\s+8191$/m);
});
