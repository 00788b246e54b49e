import assert from 'node:assert/strict';
import { test } from 'node:test';
import { procpsTop } from '../../../src/parse/sections/procps-top.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('procps top -b: MiB summary converted with its unit recorded, rows by header', () => {
  const { incident: t, problems } = only(procpsTop, 'host-6.18-top-procps-under-pressure.txt', 'top_snapshot');
  assert.equal(t.memUnit, 'MiB');
  assert.equal(t.mem.totalKb, Math.round(24105.1 * 1024));
  assert.equal(t.mem.availableKb, Math.round(23759.8 * 1024));
  assert.deepEqual([t.cpu.idlePercent, t.cpu.iowaitPercent], [50, 50]);
  assert.equal(t.timeText, '18:00:17');
  assert.deepEqual(t.load, { avg1: 0.56, avg5: 0.23, avg15: 0.08 });
  const p1 = t.processes[0];
  assert.deepEqual([p1.pid, p1.user, p1.vszKb, p1.rssKb, p1.stat, p1.command], [1, 'root', 33216, 8208, 'S', 'process_a+']);
  assert.deepEqual(problems, []);
});

test('small screen', () => {
  const { incident: t } = only(procpsTop, 'host-6.18-top-procps.txt', 'top_snapshot');
  assert.equal(t.processes.find((p) => p.command === 'python3')?.rssKb, 213112);
  assert.equal(t.endLine, 11);
});

test('silent elsewhere; garbage', () => {
  assertSilent(procpsTop, ['host-6.18-top-busybox.txt', 'host-6.18-ps-aux.txt', 'seed002-4.9-top-busybox-abnormal.txt']);
  assertSurvivesGarbage(procpsTop, 'host-6.18-top-procps.txt');
});
