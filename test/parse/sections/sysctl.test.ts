import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sysctl } from '../../../src/parse/sections/sysctl.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

// BusyBox `sysctl -a | grep …` in a 6.1 guest, after a kernel line the console interleaved.
test('busybox sysctl -a lines: overcommit_memory 2, ratio 50', () => {
  const { incident: s, problems } = only(sysctl, 'qemu-6.1-overcommit-strict.sysctl.txt', 'sysctl_snapshot');
  assert.deepEqual([s.overcommitMemory, s.overcommitRatio, s.overcommitKbytes], [2, 50, 0]);
  assert.equal(s.values['vm.user_reserve_kbytes'], '14044');
  assert.deepEqual([s.line, s.endLine], [2, 7]);
  assert.deepEqual(problems, []);
});

test('silent on meminfo, vmstat, memory.stat and kernel logs; garbage', () => {
  assertSilent(sysctl, ['host-6.18-meminfo.txt', 'host-6.18-vmstat-proc.txt', 'qemu-6.1-memcg-v2-oom.memory.stat.txt', 'qemu-6.1-global-oom.log']);
  assertSurvivesGarbage(sysctl, 'qemu-6.1-overcommit-strict.sysctl.txt');
});
