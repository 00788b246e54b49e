import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OomKillIncident } from '../../src/model/kernel-incidents.js';
import { fragmentation } from '../../src/rules/fragmentation.js';
import { makeContext } from '../../src/rules/run.js';
import { LineStore } from '../../src/read/line-store.js';
import { memoryReports } from '../../src/rules/util/memory-reports.js';
import { checkOrder, checkZones } from '../../src/rules/util/watermark.js';
import { analyzeFixtures } from '../helpers.js';
import { available, runRule } from './run-rule.js';

// A zone within 1 % above min counts as at min (zone-below-min's atMinShare, pinned in thresholds.test.ts).
const AT_MIN = 0.01;

async function seed003(): Promise<OomKillIncident> {
  const a = await analyzeFixtures(['seed003-4.9-oom-folded-one-line.log']);
  return a.incidents[0] as OomKillIncident;
}

// The emulation, on real zone numbers (seed 003) with other orders asked of it.
test('emulated watermark check on seed 003 zones, since-4.4 and before-4.4 algorithms', async () => {
  const inc = await seed003();
  const dmaOnly = { ...memoryReports([inc])[0], request: { ...memoryReports([inc])[0].request!, gfpMask: '0x1' } };
  const dma = checkZones(dmaOnly, AT_MIN).checks.find((c) => c.zone.zone === 'DMA')!;
  assert.equal(dma.reservePages, 0); // a __GFP_DMA request is itself the class zone
  // DMA: free 4124 kB, min 716 kB, largest free block order 6 (256 kB).
  assert.equal(checkOrder(dma, 6, 4, '4.9.0-4-amd64')?.verdict, 'ok');
  const o7 = checkOrder(dma, 7, 4, '4.9.0-4-amd64')!;
  assert.deepEqual([o7.verdict, o7.freeAtOrderKb, o7.freeBelowOrderKb, o7.largestUsableOrder], ['fragmentation', 0, 4124, 6]);
  // Before 4.4 the loop is stricter: order 6 = 1031 - 63 pages, minus 217, 171*2, 98*4 leaves 17
  // pages against min 179 halved three times (22): fails although an order-6 block is free.
  const old6 = checkOrder(dma, 6, 4, '3.10.0')!;
  assert.deepEqual([old6.algorithm, old6.verdict], ['before-4.4', 'fragmentation']);
  // Order 3: 1031 - 7 - 217 - 342 - 392 = 73 pages > 22: passes.
  assert.equal(checkOrder(dma, 3, 4, '3.10.0')?.verdict, 'ok');
  // DMA32 is below min: the watermark decides at every order, never fragmentation.
  const dma32 = checkZones(memoryReports([inc])[0], AT_MIN).checks.find((c) => c.zone.zone === 'DMA32')!;
  for (const o of [0, 2, 3, 5]) assert.equal(checkOrder(dma32, o, 4, '4.9.0-4-amd64')?.verdict, 'watermark');
});

// Real fragmentation failures: a test module asked for order-9 GFP_ATOMIC blocks on Debian
// kernels under qemu (test/fixtures/README.md). DMA32 had free memory well above min but no free
// block of order 9 or 10.
const FIRES: [string, number][] = [
  ['qemu-5.10-page-alloc-failure-order9-atomic.log', 9972],
  ['qemu-6.1-page-alloc-failure-order9-atomic.dmesg.log', 12964],
  ['qemu-6.12-page-alloc-failure-order9-atomic.log', 8416],
];
for (const [file, freeKb] of FIRES) {
  test(`fires on a real order-9 failure: ${file}`, async () => {
    const { analysis } = await runRule(fragmentation, [file]);
    const [f, ...rest] = analysis.findings;
    assert.equal(rest.length, 0);
    assert.equal(f.title, 'Order-9 request failed on fragmentation in DMA32: free memory above min, no 2048 kB block');
    const zones = (f.data as { zones: { zone: string; decided: string; freeKb?: number }[] }).zones;
    const dma32 = zones.find((z) => z.zone === 'DMA32')!;
    assert.equal(dma32.decided, 'fragmentation');
    assert.ok(f.explanation.includes(`${freeKb} kB`), f.explanation);
  });
}

// The emulation also catches a lower order on other real zone numbers: seed 003's incident with
// only the request changed (order 7, __GFP_DMA); no log line is altered.
test('fires when a zone is above min but has no block of the order (request altered, zones real)', async () => {
  const inc = await seed003();
  const altered: OomKillIncident = { ...inc, trigger: { ...inc.trigger, order: 7, gfpMask: '0x1', gfpFlags: ['GFP_DMA'] } };
  const [f, ...rest] = fragmentation.check(makeContext([altered], [], new LineStore()));
  assert.equal(rest.length, 0);
  assert.match(f.title, /^Order-7 request failed on fragmentation in DMA: free memory above min, no 512 kB block$/);
  assert.ok(f.explanation.includes('its largest free block was order 6 (256 kB)'));
});

// Seed 000: order 2, but Normal sat at min with 947680 kB in blocks ≥ order 2 → watermark decided.
// Seed 003: order 0 never fires. The rest have no zones.
const silent = [['seed:000'], ['seed:003'], ['seed003-4.9-oom-folded-one-line.log'], ['host-6.18-memcg-v1-oom-multi.dmesg.log'], ['seed000-4.15-page-alloc-failure.log'], ['host-6.18-buddyinfo.txt']];
for (const inputs of silent) {
  test(`silent on ${inputs.join(' + ')}`, { skip: !available(inputs) && 'no seeds' }, async () => {
    assert.deepEqual((await runRule(fragmentation, inputs)).findings, []);
  });
}

test('seed 000 order-2 Normal: 947680 kB in blocks of order >= 2, watermark decided', { skip: !available(['seed:000']) && 'no seeds' }, async () => {
  const { analysis } = await runRule(fragmentation, ['seed:000']);
  const r = memoryReports(analysis.incidents)[0];
  const normal = checkZones(r, AT_MIN).checks.find((c) => c.zone.zone === 'Normal')!;
  const oc = checkOrder(normal, 2, 4, '4.15.0-184-generic')!;
  assert.equal(oc.freeAtOrderKb, 80 * 16 + 1673 * 32 + 6881 * 64 + 2241 * 128 + 395 * 256 + 102 * 512 + 12 * 1024);
  assert.equal(oc.freeAtOrderKb, 947680);
  assert.equal(oc.verdict, 'watermark');
});
