import assert from 'node:assert/strict';
import { test } from 'node:test';
import { camelKey } from '../../../src/parse/keys.js';
import { meminfo } from '../../../src/parse/sections/meminfo.js';
import { toLines } from '../../helpers.js';
import { assertSilent, assertSurvivesGarbage, only, sections } from './run-section.js';

test('seed 001 meminfo: exact counters, camelCase keys with units', () => {
  const { incident: m, problems } = only(meminfo, 'seed001-5.10-meminfo.txt', 'meminfo_snapshot');
  assert.equal(m.memTotalKb, 63596320);
  assert.equal(m.memAvailableKb, 16240);
  assert.equal(m.activeAnonKb, 3880);
  assert.equal(m.committedAsKb, 53252204);
  assert.equal(m.hugePagesTotal, 0);
  assert.equal(m.counters.directMap2MKb, 26834944);
  assert.equal(m.counters.nfsUnstableKb, 0);
  // 5.10 prints no KReclaimable line here: absent is null, never 0.
  assert.equal(m.kReclaimableKb, null);
  assert.deepEqual([m.line, m.endLine, m.source, m.command], [1, 52, 'meminfo', null]);
  assert.deepEqual(problems, []);
  // The counters that account memory sum to 28182680 kB of 63596320 (seed 001's missing 33.8 GiB).
  const sum = ['memFreeKb', 'buffersKb', 'cachedKb', 'swapCachedKb', 'anonPagesKb', 'slabKb', 'kernelStackKb',
    'pageTablesKb', 'percpuKb', 'vmallocUsedKb', 'hugetlbKb'].reduce((s, k) => s + (m.counters[k] ?? NaN), 0);
  assert.equal(sum, 28182680);
});

test('a preceding " cat /proc/meminfo" line is claimed and recorded', () => {
  const { incident: m } = only(meminfo, 'seed001-5.10-meminfo-with-command.txt', 'meminfo_snapshot');
  assert.equal(m.command, 'cat /proc/meminfo');
  assert.deepEqual([m.line, m.endLine], [1, 53]);
  assert.equal(m.memTotalKb, 63596320);
});

test('6.18 meminfo', () => {
  const { incident: m } = only(meminfo, 'host-6.18-meminfo.txt', 'meminfo_snapshot');
  assert.equal(m.memTotalKb, 24683656);
  assert.equal(m.counters.directMap1GKb, 25165824);
});

test('camelKey follows the kernel spellings', () => {
  assert.equal(camelKey('Active(anon)'), 'activeAnon');
  assert.equal(camelKey('SReclaimable'), 'sReclaimable');
  assert.equal(camelKey('HugePages_Total'), 'hugePagesTotal');
  assert.equal(camelKey('Committed_AS'), 'committedAs');
  // The same converter names Mem-Info, zone and memcg counters (kernel snake_case).
  assert.equal(camelKey('slab_reclaimable'), 'slabReclaimable');
  assert.equal(camelKey('isolated(anon)'), 'isolatedAnon');
  assert.equal(camelKey('workingset_refault_file'), 'workingsetRefaultFile');
});

test('silent on other formats and kernel logs', () => {
  assertSilent(meminfo, ['seed000-4.15-meminfo-after-failure.log', 'host-6.18-vmstat-proc.txt',
    'host-6.18-memcg-v1-oom.memory.stat.txt', 'seed002-4.9-top-busybox-abnormal.txt']);
});

test('a section ends at the first line that does not fit; garbage never throws', () => {
  const found = sections(meminfo, toLines('MemTotal:  100 kB\nMemFree:  50 kB\nCached:  10 kB\nnot meminfo\nBuffers: 1 kB'));
  assert.equal(found[0].count, 3);
  assertSurvivesGarbage(meminfo, 'seed001-5.10-meminfo.txt');
});
