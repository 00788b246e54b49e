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

// OpenJDK 17 (Debian 17.0.21.1) under vm.overcommit_memory=2 in a 6.1 guest: HotSpot's own spelling,
// "Not enough space" for ENOMEM (not libc's "Cannot allocate memory"); the kernel's own line before it
// (`__vm_enough_memory: …`) is the kernel parser's.
test('a JVM\'s os::commit_memory warning and its "insufficient memory" banner', () => {
  const { incident: e, problems } = only(enomem, 'qemu-6.1-jvm-overcommit-strict.xms.log', 'enomem_lines');
  // One failure, one section: the warning (line 2) through the "#" banner (lines 3-7).
  assert.deepEqual([e.line, e.endLine], [2, 7]);
  assert.deepEqual(e.entries.map((x) => [x.program, x.jvm, x.line]), [['java', true, 2], ['java', true, 4]]);
  assert.deepEqual(problems, []);
  assert.match(e.entries[0].text, /os::commit_memory\(0x00000000f7aa0000, 139853824, 0\) failed; error='Not enough space' \(errno=12\)$/);
});
