import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crashKmem } from '../../../src/parse/sections/crash-kmem.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('seed 004 kmem -i: exact pages, rounded size text, COMMITTED 222 % of the limit', () => {
  const { incident: k, problems } = only(crashKmem, 'seed004-3.10-crash-kmem-i.txt', 'crash_kmem');
  assert.deepEqual([k.totalMemPages, k.freePages, k.usedPages, k.cachedPages, k.slabPages], [4042945, 20622, 4022323, 10497, 59464]);
  assert.deepEqual([k.commitLimitPages, k.committedPages, k.committedPercentOfLimit], [2021472, 4495745, 222]);
  assert.deepEqual(k.rows.find((r) => r.label === 'FREE'), { label: 'FREE', pages: 20622, sizeText: '80.6 MB', percent: 0, percentOf: 'TOTAL MEM', line: 7 });
  assert.equal(k.totalSwapPages, 0);
  // BUFFERS 59 pages = "236 KB" and the other rows agree only with 4 KiB pages.
  assert.equal(k.pageSizeKb, 4);
  assert.deepEqual([k.line, k.endLine, k.source], [1, 31, 'crash-kmem']);
  assert.deepEqual(problems, []);
});

test('silent on other crash output and kernel logs; garbage', () => {
  assertSilent(crashKmem, ['seed004-3.10-crash-ps-un.txt', 'seed004-3.10-crash-mutex.txt', 'seed000-4.15-meminfo-after-failure.log']);
  assertSurvivesGarbage(crashKmem, 'seed004-3.10-crash-kmem-i.txt');
});
