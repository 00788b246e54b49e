import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vmstatTool } from '../../../src/parse/sections/vmstat-tool.js';
import { readFixture, toLines } from '../../helpers.js';
import { assertSilent, assertSurvivesGarbage, only, sections } from './run-section.js';

test('6.18 vmstat 1 under pressure: rows by header name, the first since boot', () => {
  const { incident: v, problems } = only(vmstatTool, 'host-6.18-vmstat-under-pressure.txt', 'vmstat_tool_snapshot');
  assert.deepEqual(v.columns, ['r', 'b', 'swpd', 'free', 'buff', 'cache', 'si', 'so', 'bi', 'bo', 'in', 'cs', 'us', 'sy', 'id', 'wa', 'st']);
  assert.equal(v.rows.length, 3);
  assert.deepEqual(v.rows[0].values, { r: 1, b: 0, swpd: 0, free: 24298400, buff: 7760, cache: 260448, si: 0, so: 0, bi: 31539, bo: 594, in: 415, cs: 4960, us: 5, sy: 11, id: 83, wa: 1, st: 0 });
  assert.deepEqual(v.rows.map((r) => [r.sinceBoot, r.line, r.values.id]), [[true, 3, 83], [false, 4, 100], [false, 5, 100]]);
  assert.deepEqual([v.kbPerUnit, v.command, v.line, v.endLine], [1, null, 1, 5]);
  assert.deepEqual(problems, []);
});

// Real output of this machine (see test/fixtures/README.md).
const TIMED = readFixture('host-6.18-vmstat-t-S-M.txt');

test('vmstat -t -S M: the time zone column and timestamps, MiB units', () => {
  const [s] = sections(vmstatTool, toLines(TIMED));
  const v = s.incidents[0];
  assert.ok(v?.kind === 'vmstat_tool_snapshot');
  assert.deepEqual([v.command, v.kbPerUnit, v.columns.length, v.rows.length], ['vmstat -t -S M 1 2', 1024, 17, 2]);
  assert.deepEqual([v.rows[1].timeText, v.rows[1].values.free, v.rows[1].values.st], ['2026-11-22 18:40:17', 21609, 0]);
  assert.deepEqual(s.problems, []);
});

test('silent on /proc/vmstat, memory.stat, other tools and kernel logs', () => {
  assertSilent(vmstatTool, ['host-6.18-vmstat-proc.txt', 'host-6.18-vmstat-proc-under-pressure.txt', 'host-6.18-memcg-v1-oom.memory.stat.txt',
    'host-6.18-free-k.txt', 'seed002-4.9-mpstat.txt', 'seed002-4.9-iostat-x.txt', 'host-6.18-top-procps.txt', 'qemu-6.1-global-oom.log']);
  assertSurvivesGarbage(vmstatTool, 'host-6.18-vmstat-under-pressure.txt');
});
