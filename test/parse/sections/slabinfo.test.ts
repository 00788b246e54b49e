import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slabinfo } from '../../../src/parse/sections/slabinfo.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('6.18 /proc/slabinfo 2.1: exact object size and slab pages', () => {
  const { incident: s, problems } = only(slabinfo, 'host-6.18-slabinfo.txt', 'slab_snapshot');
  assert.equal(s.caches.length, 235);
  const d = s.caches.find((c) => c.name === 'dentry');
  assert.deepEqual(d && [d.activeObjects, d.objects, d.objSizeBytes, d.objPerSlab, d.pagesPerSlab, d.slabs, d.cacheSizePages, d.cacheSizeKb],
    [30429, 30429, 192, 21, 1, 1449, 1449, null]);
  assert.equal(d?.line, 155);
  assert.deepEqual(problems, []);
});

test('silent elsewhere; garbage', () => {
  assertSilent(slabinfo, ['host-6.18-slabtop.txt', 'seed001-5.10-slabtop.txt', 'host-6.18-vmstat-proc.txt']);
  assertSurvivesGarbage(slabinfo, 'host-6.18-slabinfo.txt');
});
