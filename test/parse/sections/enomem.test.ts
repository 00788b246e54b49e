import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enomem } from '../../../src/parse/sections/enomem.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

// The hog's own stderr when strict overcommit refused its malloc (6.1 guest).
test('a program\'s "Cannot allocate memory" line and its follow-up', () => {
  const { incident: e, problems } = only(enomem, 'qemu-6.1-overcommit-strict.hog-stderr.txt', 'enomem_lines');
  assert.deepEqual(e.entries.map((x) => [x.program, x.text, x.jvm, x.line]), [['hog', 'hog: malloc: Cannot allocate memory', false, 1]]);
  assert.deepEqual([e.line, e.endLine], [1, 2]);
  assert.deepEqual(problems, []);
});

test('silent on kernel reports (their lines are the kernel parser\'s), meminfo, sysctl; garbage', () => {
  assertSilent(enomem, ['qemu-6.1-global-oom.log', 'host-6.18-meminfo.txt', 'qemu-6.1-overcommit-strict.sysctl.txt', 'qemu-6.1-page-alloc-failure-order9-atomic.log']);
  assertSurvivesGarbage(enomem, 'qemu-6.1-overcommit-strict.hog-stderr.txt');
});
