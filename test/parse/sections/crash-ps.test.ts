import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crashPs } from '../../../src/parse/sections/crash-ps.js';
import { fixtureLines } from '../../helpers.js';
import { assertSilent, assertSurvivesGarbage, only, sections } from './run-section.js';

test('seed 004 "ps -l | grep UN": UN tasks with last_run, a filtered list', () => {
  const found = sections(crashPs, fixtureLines('seed004-3.10-crash-ps-un.txt'));
  assert.equal(found.length, 1);
  const p = found[0].incidents[0];
  assert.ok(p.kind === 'crash_ps');
  assert.equal(p.command, 'ps -l | grep UN');
  assert.equal(p.filtered, true);
  assert.deepEqual(p.tasks.map((t) => [t.pid, t.state, t.comm, t.cpu, t.lastRunNs]), [
    [28627, 'UN', 'top', 7, 99026812502124],
    [19049, 'UN', 'top', 6, 99026812502058],
    [18404, 'UN', 'top', 7, 99026812488690],
  ]);
  assert.deepEqual([p.line, p.endLine], [5, 11]);
});

test('seed 004 ps -t block attaches run times to the ps -l task', () => {
  const { incident: p, problems } = only(crashPs, 'seed004-3.10-crash-ps-oldest-un-top.txt', 'crash_ps');
  assert.equal(p.tasks.length, 1);
  assert.deepEqual(p.tasks[0].times, { runTimeText: '1 days, 05:04:31', startTime: 44515, utime: 22426, stime: 62680 });
  assert.deepEqual(problems, []);
});

test('silent on counts, bt and the host ps; garbage', () => {
  assertSilent(crashPs, ['seed004-3.10-crash-list-waiters.txt', 'seed004-3.10-crash-bt-top.txt', 'host-6.18-ps-aux.txt']);
  assertSurvivesGarbage(crashPs, 'seed004-3.10-crash-ps-un.txt');
});
