import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slabtop } from '../../../src/parse/sections/slabtop.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('seed 001 slabtop: nvidia_pte_cache row read exactly, garbled summary reported', () => {
  const { incident: s, problems } = only(slabtop, 'seed001-5.10-slabtop.txt', 'slab_snapshot');
  const nv = s.caches.find((c) => c.name === 'nvidia_pte_cache-2782818403');
  assert.deepEqual(
    nv && [nv.objects, nv.activeObjects, nv.usePercent, nv.objSizeKb, nv.objSizeBytes, nv.slabs, nv.objPerSlab, nv.cacheSizeKb],
    [8650926, 8650926, 100, 0.04, null, 84813, 102, 339252],
  );
  assert.equal(s.caches.length, 59);
  assert.deepEqual([s.line, s.endLine, s.source], [1, 65, 'slabtop']);
  // The seed's summary lines run columns together: values stay null, each garbled line is a problem.
  assert.equal(s.summary?.activeSlabs, null);
  assert.equal(s.summary?.activeSizeKb, 488344.34);
  assert.equal(problems.filter((p) => p.severity === 'warning').length, 3);
  // "26132 29632 97%": more active than total, kept as printed and flagged.
  assert.ok(problems.some((p) => p.line === 13 && p.severity === 'info'));
});

test('6.18 slabtop summary', () => {
  const { incident: s, problems } = only(slabtop, 'host-6.18-slabtop.txt', 'slab_snapshot');
  assert.deepEqual([s.summary?.activeObjects, s.summary?.totalObjects, s.summary?.totalCaches], [214799, 231264, 235]);
  assert.equal(s.caches[0].name, 'dentry');
  assert.equal(s.caches[0].cacheSizeKb, 5828);
  assert.deepEqual(problems, []);
});

test('silent elsewhere; garbage', () => {
  assertSilent(slabtop, ['host-6.18-slabinfo.txt', 'seed001-5.10-meminfo.txt', 'seed000-4.15-page-alloc-failure.log']);
  assertSurvivesGarbage(slabtop, 'seed001-5.10-slabtop.txt');
});
