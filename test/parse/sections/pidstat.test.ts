import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pidstat } from '../../../src/parse/sections/pidstat.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('seed 002 pidstat -u: kswapd0 at 298.38 %CPU, each interval kept', () => {
  const { incident: p, problems } = only(pidstat, 'seed002-4.9-pidstat-u.txt', 'pidstat_snapshot');
  assert.equal(p.command, './pidstat -u 1');
  assert.deepEqual(p.host, { kernelVersion: '4.9.37', host: 'OpenWrt', dateText: '03/17/22', arch: '_armv7l_', cpus: 2 });
  assert.equal(p.intervals.length, 2);
  const k = p.intervals[1].rows.find((r) => r.command === 'kswapd0');
  assert.deepEqual(k && [k.pid, k.uid, k.systemPercent, k.cpuPercent, k.cpu, k.values['%system']], [31, 0, 298.38, 298.38, 0, 298.38]);
  assert.equal(p.intervals[0].rows.find((r) => r.pid === 31)?.cpuPercent, 61.35);
  assert.equal(p.intervals[0].rows.length, 15);
  assert.equal(p.timeText, '03/17/22 16:28:00');
  assert.deepEqual(problems, []);
});

test('seed 002 pidstat -d: four headers and no rows = no task did file IO', () => {
  const { incident: p, problems } = only(pidstat, 'seed002-4.9-pidstat-d.txt', 'pidstat_snapshot');
  assert.equal(p.intervals.length, 4);
  assert.ok(p.intervals.every((iv) => iv.rows.length === 0 && iv.columns.includes('kB_rd/s')));
  assert.deepEqual([p.line, p.endLine], [1, 11]);
  assert.deepEqual(problems, []);
});

test('6.18 pidstat -d rows and Average', () => {
  const { incident: p } = only(pidstat, 'host-6.18-pidstat-d.txt', 'pidstat_snapshot');
  const bash = p.intervals[0].rows.find((r) => r.command === 'bash');
  assert.deepEqual(bash && [bash.readKbPerSec, bash.writeKbPerSec, bash.cancelledWriteKbPerSec, bash.iodelayTicks], [3.96, 39.6, 11.88, 0]);
  assert.equal(p.intervals[1].average, true);
});

test('silent elsewhere; garbage', () => {
  assertSilent(pidstat, ['seed002-4.9-mpstat.txt', 'seed002-4.9-iostat-x.txt', 'host-6.18-ps-aux.txt']);
  assertSurvivesGarbage(pidstat, 'seed002-4.9-pidstat-u.txt');
});
