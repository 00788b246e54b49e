import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vmtouch } from '../../../src/parse/sections/vmtouch.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('vmtouch -v: the final redraw of each bar, and the summary', () => {
  const { incident: r, problems } = only(vmtouch, 'host-6.18-vmtouch-v.txt', 'pagecache_residency');
  assert.deepEqual(r.files.map((f) => [f.path, f.cachedPages, f.pages]), [
    ['/usr/bin/python3.11', 1, 1668],
    ['/usr/lib/x86_64-linux-gnu/libc.so.6', 471, 471],
  ]);
  assert.deepEqual(r.totals, { residentPages: 472, totalPages: 2139, percent: 22.1 });
  assert.equal(r.files[0].percent, null);
  assert.deepEqual([r.line, r.endLine], [1, 9]);
  assert.deepEqual(problems, []);
});

test('silent elsewhere; garbage', () => {
  assertSilent(vmtouch, ['seed001-5.10-pagecache-residency.txt', 'seed002-4.9-ls-fd.txt', 'host-6.18-meminfo.txt']);
  assertSurvivesGarbage(vmtouch, 'host-6.18-vmtouch-v.txt');
});
