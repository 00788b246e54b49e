import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zoneinfo } from '../../../src/parse/sections/zoneinfo.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('6.18 zoneinfo: watermarks in pages, protection, per-node stats', () => {
  const { incident: z, problems } = only(zoneinfo, 'host-6.18-zoneinfo.txt', 'zoneinfo_snapshot');
  assert.deepEqual(z.zones.map((x) => x.zone), ['DMA', 'DMA32', 'Normal', 'Movable', 'Device']);
  const n = z.zones[2];
  assert.deepEqual([n.freePages, n.minPages, n.lowPages, n.highPages, n.managedPages, n.presentPages], [123354, 3413, 4266, 5119, 196608, 5505024]);
  assert.deepEqual(z.zones[0].protectionPages, [0, 3018, 3786, 3786, 3786]);
  assert.equal(z.zones[0].counters.nr_free_pages, 3840);
  assert.equal(z.zones[0].counters.start_pfn, 1);
  // pageset "high:" (per-cpu) must not overwrite the watermark "high".
  assert.equal(z.zones[1].highPages, 20124);
  assert.equal(z.nodes[0].counters.nr_inactive_anon, 938);
  assert.equal(z.nodes.length, 1);
  assert.deepEqual(problems, []);
});

test('silent elsewhere; garbage', () => {
  assertSilent(zoneinfo, ['host-6.18-buddyinfo.txt', 'host-6.18-pagetypeinfo.txt', 'seed000-4.15-meminfo-after-failure.log']);
  assertSurvivesGarbage(zoneinfo, 'host-6.18-zoneinfo.txt');
});
