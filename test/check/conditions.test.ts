import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_THRESHOLDS, evaluate, summarize, type CheckInputs, type Thresholds } from '../../src/check/conditions.js';
import { coverage } from '../../src/check/gather.js';
import { readFixture } from '../helpers.js';

// Real values: /proc/pressure/memory captured on this host under a memory storm
// (host-6.18-pressure-memory-under-pressure.txt: some avg10=14.94, full avg10=13.65).
const PSI = readFixture('host-6.18-pressure-memory-under-pressure.txt');
const SOME = Number(/some avg10=([\d.]+)/.exec(PSI)![1]) / 100;
const FULL = Number(/full avg10=([\d.]+)/.exec(PSI)![1]) / 100;
const base: CheckInputs = { sinceSec: 0, sinceText: 'since boot', pressure: { some10s: SOME, full10s: FULL } };
const T = (o: Partial<Thresholds>): Thresholds => ({ ...DEFAULT_THRESHOLDS, ...o });

test('MemoryThrashing: each threshold on both sides (at it is a problem, just above it is not)', () => {
  const cases: [Partial<Thresholds>, string][] = [
    [{ pressureSome: SOME, pressureFull: 1 }, 'problem'],
    [{ pressureSome: SOME + 0.0001, pressureFull: 1 }, 'ok'],
    [{ pressureSome: 1, pressureFull: FULL }, 'problem'],
    [{ pressureSome: 1, pressureFull: FULL + 0.0001 }, 'ok'],
  ];
  for (const [t, want] of cases) assert.equal(evaluate('MemoryThrashing', base, T(t)).status, want, JSON.stringify(t));
});

test('MemoryThrashing: a kernel without "full" is judged on "some" alone; no PSI is unknown', () => {
  const noFull = { ...base, pressure: { some10s: SOME, full10s: null } };
  assert.equal(evaluate('MemoryThrashing', noFull, T({ pressureSome: 1, pressureFull: 0 })).status, 'ok');
  const r = evaluate('MemoryThrashing', { ...base, pressure: { error: '/proc/pressure/memory: ENOENT' } }, DEFAULT_THRESHOLDS);
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /ENOENT/);
});

test('UnaccountedMemory: threshold on both sides; a missing counter is unknown, never ok', () => {
  const mem = (u: number | null, missing: string[] = []) => ({ ...base, memory: { totalBytes: 1000 * 4096, unaccountedBytes: u, missing } });
  assert.equal(evaluate('UnaccountedMemory', mem(100 * 4096), T({ unaccountedRatio: 0.1 })).status, 'problem');
  assert.equal(evaluate('UnaccountedMemory', mem(100 * 4096 - 1), T({ unaccountedRatio: 0.1 })).status, 'ok');
  assert.equal(evaluate('UnaccountedMemory', mem(-5 * 4096), T({ unaccountedRatio: 0.1 })).status, 'ok', 'overlapping counters');
  const r = evaluate('UnaccountedMemory', mem(null, ['Percpu']), T({ unaccountedRatio: 0 }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /Percpu/);
});

// Two real OOM kills (host-6.18-memcg-v1-oom-multi.kmsg.log) at 118.239876 s and 166.451478 s;
// the capture starts at record 417 (118.239854 s), not at boot.
const KILLS = [...readFixture('host-6.18-memcg-v1-oom-multi.kmsg.log').matchAll(/^\d+,\d+,(\d+),-;Memory cgroup out of memory: Killed process \d+ \((\w+)\)/gm)]
  .map((m) => ({ uptimeSec: Number(m[1]) / 1e6, cgroup: '/x', program: m[2] }));

test('OOMKilling: a kill at or after --since is a problem; just after the last kill it is not', () => {
  const log = { kills: KILLS, coversFromSec: 0, source: 'kmsg' };
  const at = (sinceSec: number) => evaluate('OOMKilling', { ...base, kernelLog: log, sinceSec, sinceText: `since ${sinceSec}` }, DEFAULT_THRESHOLDS);
  assert.equal(KILLS.length, 2);
  assert.equal(at(KILLS[1].uptimeSec).status, 'problem');
  assert.match(at(KILLS[0].uptimeSec).message, /^2 OOM kills/);
  assert.match(at(KILLS[0].uptimeSec + 1e-6).message, /^1 OOM kill /);
  assert.equal(at(KILLS[1].uptimeSec + 1e-6).status, 'ok');
});

test('OOMKilling: no kill seen is ok only when the log reaches back to --since', () => {
  const log = (coversFromSec: number | null) => ({ kills: [], coversFromSec, source: 'kmsg' });
  const at = (c: number | null, sinceSec: number) => evaluate('OOMKilling', { ...base, kernelLog: log(c), sinceSec }, DEFAULT_THRESHOLDS).status;
  assert.equal(at(118.2, 118.2), 'ok');
  assert.equal(at(118.2, 118.1), 'unknown');
  assert.equal(at(null, 0), 'unknown');
  assert.equal(evaluate('OOMKilling', { ...base, kernelLog: { error: '/dev/kmsg: EPERM' } }, DEFAULT_THRESHOLDS).status, 'unknown');
});

test('coverage: kmsg from record 0 is since boot; a cut capture starts at its first record; dmesg at its first stamp', () => {
  assert.equal(coverage('5,0,0,-;Linux version 6.18\n'), 0);
  assert.equal(coverage(readFixture('host-6.18-memcg-v1-oom-multi.kmsg.log')), 118.239854);
  assert.equal(coverage(readFixture('host-6.18-hung-task-fuse.dmesg.log')), 181.689879);
  assert.equal(coverage('no timestamps here\n'), null);
});

test('summary: problem beats unknown beats ok; exit codes 1, 2, 0; one line', () => {
  const ok = { name: 'MemoryThrashing' as const, status: 'ok' as const, message: 'fine' };
  const unk = { name: 'OOMKilling' as const, status: 'unknown' as const, message: 'cannot read\nthe log' };
  const bad = { name: 'UnaccountedMemory' as const, status: 'problem' as const, message: 'big' };
  assert.equal(summarize([ok]).code, 0);
  assert.equal(summarize([ok, unk]).code, 2);
  const s = summarize([ok, unk, bad]);
  assert.equal(s.code, 1);
  assert.match(s.line, /^PROBLEM: UnaccountedMemory problem: big; OOMKilling unknown/);
  assert.doesNotMatch(s.line, /\n/);
  const esc = summarize([{ ...bad, message: 'last \x1b]0;pwned\x07 in /x' }]);
  assert.equal(esc.line, 'PROBLEM: UnaccountedMemory problem: last ?]0;pwned? in /x');
});
