import assert from 'node:assert/strict';
import { test } from 'node:test';
import { procVmstat } from '../../../src/parse/sections/proc-vmstat.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('6.18 /proc/vmstat: every counter as printed', () => {
  const { incident: v, problems } = only(procVmstat, 'host-6.18-vmstat-proc-under-pressure.txt', 'vmstat_snapshot');
  assert.equal(Object.keys(v.counters).length, 192);
  assert.equal(v.counters.nr_free_pages, 876904);
  assert.equal(v.counters.oom_kill, 3);
  assert.equal(v.counters.pgscan_kswapd, 0);
  assert.deepEqual(problems, []);
});

test('silent on memory.stat, oom_control and meminfo; garbage', () => {
  assertSilent(procVmstat, ['host-6.18-memcg-v1-oom.memory.stat.txt', 'host-6.18-memcg-v1-oom.memory.oom_control.txt',
    'host-6.18-meminfo.txt', 'host-6.18-vmstat-under-pressure.txt']);
  assertSurvivesGarbage(procVmstat, 'host-6.18-vmstat-proc.txt');
});
