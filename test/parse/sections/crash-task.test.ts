import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crashTask } from '../../../src/parse/sections/crash-task.js';
import { fixtureLines } from '../../helpers.js';
import { assertSilent, assertSurvivesGarbage, only, sections } from './run-section.js';

test('seed 004 task -R sched_info 28627', () => {
  const { incident: s, problems } = only(crashTask, 'seed004-3.10-crash-sched-info.txt', 'crash_sched_info');
  assert.deepEqual([s.pid, s.comm, s.pcount, s.runDelayNs, s.lastArrivalNs, s.lastQueuedNs],
    [28627, 'top', 770201, 24190351955485, 99026812502124, 0]);
  assert.deepEqual([s.line, s.endLine, s.command], [1, 15, 'task -R sched_info 28627']);
  assert.deepEqual(problems, []);
});

test('seed 004 owner ps 24156 still queued (last_queued set)', () => {
  const { incident: s } = only(crashTask, 'seed004-3.10-crash-sched-info-ps-owner.txt', 'crash_sched_info');
  assert.deepEqual([s.pid, s.lastArrivalNs, s.lastQueuedNs], [24156, 149186548046662, 149186552018854]);
});

test('task -R signal: a crash_struct with the task; pid "pid" as printed stays null', () => {
  const found = sections(crashTask, fixtureLines('seed004-3.10-crash-oom-score-adj-min.txt'));
  assert.equal(found.length, 1);
  const s = found[0].incidents[0];
  assert.ok(s.kind === 'crash_struct');
  assert.deepEqual([s.expression, s.task?.pid, s.task?.cpu, s.task?.task], ['signal', null, 47, 'ffff881850ef8000']);
  assert.deepEqual(s.fields.map((f) => [f.path, f.value]), [['signal', '0xffff882d0eaa2a80']]);
  assert.equal(s.endLine, 5);
});

test('silent on bt and kmem; garbage', () => {
  assertSilent(crashTask, ['seed004-3.10-crash-bt-top.txt', 'seed004-3.10-crash-kmem-i.txt']);
  assertSurvivesGarbage(crashTask, 'seed004-3.10-crash-sched-info.txt');
});
