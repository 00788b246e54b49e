import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memcgStat } from '../../../src/parse/sections/memcg-stat.js';
import { procVmstat } from '../../../src/parse/sections/proc-vmstat.js';
import { SECTION_PARSERS } from '../../../src/parse/sections/index.js';
import { fixtureLines, readFixture, toLines } from '../../helpers.js';
import { assertSilent, assertSurvivesGarbage, only, sections } from './run-section.js';

const STATS = ['host-6.18-memcg-v1-oom.memory.stat.txt', 'host-6.18-memcg-v1-oom-multi.memory.stat.txt',
  'host-6.18-memcg-v1-under-pressure.memory.stat.txt', 'qemu-6.1-memcg-v2-oom.memory.stat.txt'];
const VMSTATS = ['host-6.18-vmstat-proc.txt', 'host-6.18-vmstat-proc-under-pressure.txt'];

test('6.18 v1 memory.stat under pressure: bytes as printed, the unlimited memsw limit exact', () => {
  const { incident: s, problems } = only(memcgStat, 'host-6.18-memcg-v1-under-pressure.memory.stat.txt', 'memcg_stat_snapshot');
  assert.deepEqual([s.version, s.anonBytes, s.fileBytes, s.limitBytes, s.pgmajfault, s.workingsetRefaultFile],
    [1, 58945536, 57344, 134217728, 10977, 2829357]);
  assert.equal(BigInt(s.memswLimitBytes!), 9223372036854771712n);
  assert.deepEqual([s.kernelStackBytes, s.sockBytes], [null, null]);
  assert.equal(Object.keys(s.counters).length, 42);
  assert.deepEqual(problems, []);
});

test('6.1 v2 memory.stat: anon, kernel, slab; no v1 limit', () => {
  const { incident: s, problems } = only(memcgStat, 'qemu-6.1-memcg-v2-oom.memory.stat.txt', 'memcg_stat_snapshot');
  assert.deepEqual([s.version, s.anonBytes, s.fileBytes, s.slabBytes, s.pageTablesBytes, s.counters.kernel, s.limitBytes],
    [2, 8462336, 0, 8800, 45056, 77824, null]);
  assert.equal(Object.keys(s.counters).length, readFixture('qemu-6.1-memcg-v2-oom.memory.stat.txt').trim().split('\n').length);
  assert.deepEqual(problems, []);
});

test('memory.stat and /proc/vmstat: each parser claims its own files and never the other\'s', () => {
  for (const f of STATS) assert.equal(sections(memcgStat, fixtureLines(f)).length, 1, f);
  assertSilent(memcgStat, VMSTATS);
  assertSilent(procVmstat, STATS);
  // Through the registry, in its order: one incident of the right kind per file.
  for (const [f, kind] of [...STATS.map((f) => [f, 'memcg_stat_snapshot']), ...VMSTATS.map((f) => [f, 'vmstat_snapshot'])]) {
    const lines = fixtureLines(f);
    const kinds: string[] = [];
    for (let i = 0; i < lines.length; ) {
      const p = SECTION_PARSERS.find((q) => q.detect(lines, i) > 0);
      if (!p) { i++; continue; }
      const n = p.detect(lines, i);
      kinds.push(...p.parse(lines.slice(i, i + n)).incidents.map((x) => x.kind));
      i += n;
    }
    assert.deepEqual(kinds, [kind], f);
  }
});

test('a "cat …/memory.stat" line is claimed as the command', () => {
  const lines = toLines(`# cat /sys/fs/cgroup/memory/mt-fixture/memory.stat\n${readFixture('host-6.18-memcg-v1-oom.memory.stat.txt')}`);
  const [s] = sections(memcgStat, lines);
  const inc = s.incidents[0];
  assert.ok(inc?.kind === 'memcg_stat_snapshot' && inc.command === 'cat /sys/fs/cgroup/memory/mt-fixture/memory.stat' && inc.line === 1);
});

test('silent on oom_control, memory.events, meminfo, zoneinfo and kernel logs; garbage', () => {
  assertSilent(memcgStat, ['host-6.18-memcg-v1-oom.memory.oom_control.txt', 'qemu-6.1-memcg-v2-oom.memory.events.txt',
    'host-6.18-meminfo.txt', 'host-6.18-zoneinfo.txt', 'qemu-6.1-memcg-v2-oom.log', 'host-6.18-memcg-v1-oom.dmesg.log',
    'qemu-6.1-arm64-memcg-v2-oom.busybox-dmesg.log', 'seed002-4.9-pidstat-u.txt']);
  assertSurvivesGarbage(memcgStat, 'qemu-6.1-memcg-v2-oom.memory.stat.txt');
});
