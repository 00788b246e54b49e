import assert from 'node:assert/strict';
import { test } from 'node:test';
import { free } from '../../../src/parse/sections/free.js';
import { readFixture, toLines } from '../../helpers.js';
import { assertSilent, assertSurvivesGarbage, only, sections } from './run-section.js';

test('6.18 free -k (procps-ng): KiB as printed, swap all zero', () => {
  const { incident: f, problems } = only(free, 'host-6.18-free-k.txt', 'free_snapshot');
  assert.deepEqual([f.memTotalKb, f.memUsedKb, f.memFreeKb, f.memSharedKb, f.memBuffCacheKb, f.memAvailableKb],
    [24683656, 293932, 24388704, 8952, 237576, 24389724]);
  assert.deepEqual([f.swapTotalKb, f.swapUsedKb, f.swapFreeKb], [0, 0, 0]);
  // This procps prints buff/cache as one column: the split ones are absent, so null.
  assert.deepEqual([f.memBuffersKb, f.memCacheKb], [null, null]);
  // The file holds no command line: free's default unit (KiB) is assumed, and said so.
  assert.deepEqual([f.command, f.unit, f.unitAssumed, f.rounded], [null, 'KiB', true, false]);
  assert.deepEqual(problems, []);
});

test('a "$ free -k" prompt line states the unit', () => {
  const lines = toLines(`$ free -k\n${readFixture('host-6.18-free-k.txt')}`);
  const [s] = sections(free, lines);
  const f = s.incidents[0];
  assert.ok(f?.kind === 'free_snapshot');
  assert.deepEqual([f.command, f.unit, f.unitAssumed, f.memTotalKb, f.line], ['free -k', 'KiB', false, 24683656, 1]);
});

// Real output of this machine (see test/fixtures/README.md): free -m, then free -w -m.
const MIB = readFixture('host-6.18-free-m-and-w-m.txt');

test('free -m and -w -m: MiB × 1024, marked rounded; -w splits buffers and cache', () => {
  const found = sections(free, toLines(MIB)).map((s) => s.incidents[0]);
  assert.equal(found.length, 2);
  const [m, w] = found;
  assert.ok(m?.kind === 'free_snapshot' && w?.kind === 'free_snapshot');
  assert.deepEqual([m.unit, m.unitAssumed, m.rounded, m.memTotalKb, m.memAvailableKb], ['MiB', false, true, 24105 * 1024, 23590 * 1024]);
  assert.deepEqual([w.memBuffersKb, w.memCacheKb, w.memBuffCacheKb], [13 * 1024, 2247 * 1024, null]);
});

test('silent on other formats and kernel logs', () => {
  assertSilent(free, ['host-6.18-meminfo.txt', 'host-6.18-top-procps.txt', 'seed002-4.9-top-busybox-abnormal.txt',
    'host-6.18-vmstat-under-pressure.txt', 'seed002-4.9-pidstat-u.txt', 'qemu-6.1-global-oom.log', 'seed000-4.15-meminfo-after-failure.log']);
  assertSurvivesGarbage(free, 'host-6.18-free-k.txt');
});
