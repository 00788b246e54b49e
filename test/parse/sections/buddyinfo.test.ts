import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buddyinfo } from '../../../src/parse/sections/buddyinfo.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('6.18 buddyinfo: counts per order, free pages and largest order', () => {
  const { incident: b } = only(buddyinfo, 'host-6.18-buddyinfo.txt', 'buddy_snapshot');
  const n = b.zones.find((z) => z.zone === 'Normal');
  assert.deepEqual(n?.counts, [2370, 2658, 1931, 1265, 788, 447, 230, 83, 42, 14, 27]);
  assert.equal(n?.largestFreeOrder, 10);
  assert.equal(n?.freePages, 2370 + 2658 * 2 + 1931 * 4 + 1265 * 8 + 788 * 16 + 447 * 32 + 230 * 64 + 83 * 128 + 42 * 256 + 14 * 512 + 27 * 1024);
  assert.equal(b.zones.find((z) => z.zone === 'DMA')?.largestFreeOrder, 10);
});

test('silent on the kernel log buddy lines and pagetypeinfo; garbage', () => {
  assertSilent(buddyinfo, ['seed003-4.9-dma32-buddy-excerpt.log', 'seed000-4.15-page-alloc-failure.log', 'host-6.18-zoneinfo.txt']);
  assertSurvivesGarbage(buddyinfo, 'host-6.18-buddyinfo.txt');
});
