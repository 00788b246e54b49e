import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pagetypeinfo } from '../../../src/parse/sections/pagetypeinfo.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('6.18 pagetypeinfo: per migrate type, summed per zone', () => {
  const { incident: b, problems } = only(pagetypeinfo, 'host-6.18-pagetypeinfo.txt', 'buddy_snapshot');
  assert.deepEqual([b.pageBlockOrder, b.pagesPerBlock, b.source], [9, 512, 'pagetypeinfo']);
  const n = b.zones.find((z) => z.zone === 'Normal');
  assert.deepEqual(n?.byType?.Unmovable, [0, 326, 284, 215, 93, 44, 17, 10, 5, 1, 0]);
  assert.equal(n?.counts[0], 0 + 2354 + 16);
  assert.deepEqual(problems, []);
});

test('silent elsewhere; garbage', () => {
  assertSilent(pagetypeinfo, ['host-6.18-buddyinfo.txt', 'host-6.18-zoneinfo.txt']);
  assertSurvivesGarbage(pagetypeinfo, 'host-6.18-pagetypeinfo.txt');
});
