import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lsFd } from '../../../src/parse/sections/ls-fd.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('seed 002 ls -l /proc/2469/fd: deleted files flagged, elisions counted', () => {
  const { incident: f, problems } = only(lsFd, 'seed002-4.9-ls-fd.txt', 'fd_listing');
  assert.equal(f.pid, 2469);
  assert.deepEqual(f.fds.filter((d) => d.deleted).map((d) => [d.fd, d.target]), [
    [27, '/data/database/app.k (deleted)'],
    [28, '/data/database/app.v (deleted)'],
  ]);
  assert.equal(f.fds.length, 12);
  assert.equal(f.elidedLines, 2);
  assert.deepEqual(problems, []);
});

test('silent elsewhere; garbage', () => {
  assertSilent(lsFd, ['host-6.18-ps-aux.txt', 'seed002-4.9-top-busybox-abnormal.txt', 'host-6.18-vmtouch-v.txt']);
  assertSurvivesGarbage(lsFd, 'seed002-4.9-ls-fd.txt');
});
