import assert from 'node:assert/strict';
import { test } from 'node:test';
import { busyboxTop } from '../../../src/parse/sections/busybox-top.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('seed 002 abnormal screen: iowait, cached 5136K, logd VSZ 292m', () => {
  const { incident: t, problems } = only(busyboxTop, 'seed002-4.9-top-busybox-abnormal.txt', 'top_snapshot');
  assert.deepEqual([t.mem.usedKb, t.mem.freeKb, t.mem.sharedKb, t.mem.buffersKb, t.mem.cachedKb], [621420, 40336, 1448, 116, 5136]);
  assert.deepEqual([t.cpu.userPercent, t.cpu.systemPercent, t.cpu.idlePercent, t.cpu.iowaitPercent], [1, 15, 0, 83]);
  assert.deepEqual(t.load, { avg1: 12.65, avg5: 11.29, avg15: 10.04 });
  const logd = t.processes.find((p) => p.command.startsWith('/sbin/logd'));
  assert.deepEqual(logd && [logd.pid, logd.ppid, logd.vszKb, logd.vszText, logd.stat], [493, 1, 292 * 1024, '292m', 'S']);
  const kswapd = t.processes.find((p) => p.command === '[kswapd0]');
  assert.deepEqual(kswapd && [kswapd.pid, kswapd.cpuPercent, kswapd.stat], [31, 5, 'SW']);
  assert.equal(t.processes.find((p) => p.pid === 5)?.stat, 'SW<');
  assert.equal(t.processes.length, 10);
  assert.equal(t.elidedLines, 3);
  assert.deepEqual([t.line, t.endLine, t.source], [1, 17, 'busybox-top']);
  assert.deepEqual(problems, []);
});

test('seed 002 normal screen: cached 121764K, logd VSZ 2408', () => {
  const { incident: t } = only(busyboxTop, 'seed002-4.9-top-busybox-normal.txt', 'top_snapshot');
  assert.equal(t.mem.cachedKb, 121764);
  assert.equal(t.processes.find((p) => p.pid === 21826)?.vszKb, 2408);
  assert.equal(t.cpu.iowaitPercent, 0);
});

test('current busybox prints the same layout', () => {
  const { incident: t } = only(busyboxTop, 'host-6.18-top-busybox.txt', 'top_snapshot');
  assert.equal(t.mem.cachedKb, 190128);
  assert.equal(t.processes[0].vszKb, 213 * 1024);
});

test('silent elsewhere; garbage', () => {
  assertSilent(busyboxTop, ['host-6.18-top-procps.txt', 'host-6.18-ps-aux.txt', 'seed002-4.9-sysrq-w-arm.log']);
  assertSurvivesGarbage(busyboxTop, 'seed002-4.9-top-busybox-abnormal.txt');
});
