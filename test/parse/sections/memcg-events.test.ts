import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memcgEvents } from '../../../src/parse/sections/memcg-events.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('6.18 v1 memory.oom_control: one kill, not under OOM now, killing enabled', () => {
  for (const f of ['host-6.18-memcg-v1-oom.memory.oom_control.txt', 'host-6.18-memcg-v1-oom-multi.memory.oom_control.txt']) {
    const { incident: e, problems } = only(memcgEvents, f, 'memcg_events_snapshot');
    assert.deepEqual([e.file, e.oomKillDisable, e.underOom, e.oomKill, e.oom, e.max], ['memory.oom_control', false, false, 1, null, null]);
    assert.deepEqual(problems, []);
  }
});

test('6.1 v2 memory.events: hit max 52 times, one OOM, one kill', () => {
  const { incident: e, problems } = only(memcgEvents, 'qemu-6.1-memcg-v2-oom.memory.events.txt', 'memcg_events_snapshot');
  assert.deepEqual([e.file, e.low, e.high, e.max, e.oom, e.oomKill, e.oomGroupKill, e.oomKillDisable], ['memory.events', 0, 0, 52, 1, 1, 0, null]);
  assert.deepEqual([e.line, e.endLine], [1, 6]);
  assert.deepEqual(problems, []);
});

test('silent on memory.stat, /proc/vmstat (which also has oom_kill), meminfo and kernel logs; garbage', () => {
  assertSilent(memcgEvents, ['host-6.18-memcg-v1-oom.memory.stat.txt', 'qemu-6.1-memcg-v2-oom.memory.stat.txt',
    'host-6.18-vmstat-proc.txt', 'host-6.18-vmstat-proc-under-pressure.txt', 'host-6.18-meminfo.txt',
    'host-6.18-memcg-v1-oom.memory.failcnt.txt', 'qemu-6.1-memcg-v2-oom.log', 'host-6.18-memcg-v1-oom.dmesg.log']);
  assertSurvivesGarbage(memcgEvents, 'qemu-6.1-memcg-v2-oom.memory.events.txt');
});
