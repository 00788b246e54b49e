import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mpstat } from '../../../src/parse/sections/mpstat.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('seed 002 mpstat -P ALL: ~80 % iowait in every interval', () => {
  const { incident: m, problems } = only(mpstat, 'seed002-4.9-mpstat.txt', 'mpstat_snapshot');
  assert.equal(m.command, '/mnt/nfs/mpstat -P ALL 1');
  assert.equal(m.intervals.length, 3);
  assert.deepEqual(m.intervals.map((iv) => iv.rows.find((r) => r.cpu === 'all')?.iowaitPercent), [81.29, 80.71, 78.44]);
  const cpu1 = m.intervals[0].rows.find((r) => r.cpu === 1);
  assert.deepEqual(cpu1 && [cpu1.userPercent, cpu1.systemPercent, cpu1.idlePercent], [1.44, 15.83, 0]);
  assert.deepEqual([m.line, m.endLine], [1, 17]);
  assert.deepEqual(problems, []);
});

test('6.18 mpstat with Average', () => {
  const { incident: m } = only(mpstat, 'host-6.18-mpstat.txt', 'mpstat_snapshot');
  assert.equal(m.intervals[1].average, true);
  assert.equal(m.intervals[0].rows.find((r) => r.cpu === 'all')?.idlePercent, 99.5);
  assert.equal(m.host?.cpus, 2);
});

test('silent elsewhere; garbage', () => {
  assertSilent(mpstat, ['seed002-4.9-pidstat-u.txt', 'seed002-4.9-iostat-x.txt', 'seed002-4.9-top-busybox-abnormal.txt']);
  assertSurvivesGarbage(mpstat, 'seed002-4.9-mpstat.txt');
});
