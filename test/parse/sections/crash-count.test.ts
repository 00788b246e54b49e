import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crashCount } from '../../../src/parse/sections/crash-count.js';
import { toLines } from '../../helpers.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('seed 004 "ps | grep UN | wc -l" = 760 tasks in UN', () => {
  const { incident: c } = only(crashCount, 'seed004-3.10-crash-ps-un.txt', 'crash_count');
  assert.deepEqual([c.command, c.count, c.entries, c.taskState, c.line, c.endLine], ['ps | grep UN | wc -l', 760, 760, 'UN', 1, 3]);
});

test('seed 004 list -s mutex_waiter.task | wc -l: 1498 lines = 749 waiters', () => {
  const { incident: c } = only(crashCount, 'seed004-3.10-crash-list-waiters.txt', 'crash_count');
  assert.deepEqual([c.count, c.entries, c.taskState], [1498, 749, null]);
});

test('an odd line count for -s is reported, entries left null', () => {
  const lines = toLines('crash> list -s mutex_waiter.task 0xffff | wc -l\n1497');
  const r = crashCount.parse(lines.slice(0, crashCount.detect(lines, 0)));
  assert.equal(r.incidents[0]?.kind === 'crash_count' && r.incidents[0].entries, null);
  assert.equal(r.problems.length, 1);
});

test('silent elsewhere; garbage', () => {
  assertSilent(crashCount, ['seed004-3.10-crash-kmem-i.txt', 'seed001-5.10-funccount.txt']);
  assertSurvivesGarbage(crashCount, 'seed004-3.10-crash-list-waiters.txt');
});
