import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ps } from '../../../src/parse/sections/ps.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('ps aux: columns by header, command keeps its spaces', () => {
  const { incident: p, problems } = only(ps, 'host-6.18-ps-aux.txt', 'ps_snapshot');
  const py = p.processes.find((r) => r.pid === 2);
  assert.deepEqual(py && [py.user, py.cpuPercent, py.memPercent, py.vszKb, py.rssKb, py.stat], ['root', 9.5, 0.8, 218756, 213112, 'S']);
  assert.ok(p.processes[0].command.startsWith('/bin/sh -c  /usr/bin/python3'));
  assert.equal(p.processes.length, 4);
  assert.deepEqual(problems, []);
});

test('busybox ps', () => {
  const { incident: p } = only(ps, 'host-6.18-ps-busybox.txt', 'ps_snapshot');
  assert.deepEqual(p.columns, ['PID', 'USER', 'COMMAND']);
  assert.equal(p.processes.find((r) => r.pid === 3)?.command, 'sleep 300');
  assert.equal(p.processes[0].vszKb, null);
});

test('silent on top screens, pidstat and crash ps; garbage', () => {
  assertSilent(ps, ['seed002-4.9-pidstat-u.txt', 'seed004-3.10-crash-ps-un.txt', 'host-6.18-meminfo.txt']);
  assertSurvivesGarbage(ps, 'host-6.18-ps-aux.txt');
});
