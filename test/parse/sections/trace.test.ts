import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trace } from '../../../src/parse/sections/trace.js';
import { readFixture, toLines } from '../../helpers.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

const FIXTURE = 'seed001-5.10-kprobe-trace.txt';

test('seed 001 kprobe on nvos_create_alloc [nvidia]: events, exact hex sum of arg1, the elision', () => {
  const { incident: t, problems } = only(trace, FIXTURE, 'trace_snapshot');
  // Computed here from the text, not from the parser: every "arg1=0x…" on the page.
  const values = [...readFixture(FIXTURE).matchAll(/arg1=0x([0-9a-f]+)/g)].map((m) => parseInt(m[1], 16));
  assert.equal(t.events, values.length);
  assert.equal(t.probes.length, 1);
  const p = t.probes[0];
  assert.deepEqual([p.probe, p.symbol, p.module, p.events, p.line], ['myprobe', 'nvos_create_alloc', 'nvidia', values.length, 1]);
  assert.deepEqual(p.args.arg1, {
    sum: values.reduce((s, v) => s + v, 0), min: Math.min(...values), max: Math.max(...values), count: values.length, exact: true,
  });
  assert.equal(p.args.arg1.max, 0x200);
  // The first line's comm is "<...>"; the pid is the same java task.
  assert.deepEqual(t.tasks, [{ pid: 2657537, comm: 'java', events: values.length }]);
  assert.deepEqual([t.firstTimestampSec, t.lastTimestampSec], [637715.039848, 637716.061426]);
  // ".... 省略若干" is the author's cut: the section ends there, it is not a problem.
  assert.deepEqual([t.elided, t.elisionLine], [true, 25]);
  assert.deepEqual([t.line, t.endLine], [1, 25]);
  assert.deepEqual(problems, []);
});

test('without the elision line the excerpt is not marked elided', () => {
  const lines = toLines(readFixture(FIXTURE)).slice(0, 24);
  const r = trace.parse(lines);
  const t = r.incidents[0];
  assert.ok(t?.kind === 'trace_snapshot' && !t.elided && t.events === 24);
});

test('silent on other formats and kernel logs', () => {
  assertSilent(trace, ['seed001-5.10-funccount.txt', 'seed001-5.10-slabtop.txt', 'seed001-5.10-meminfo.txt',
    'seed002-4.9-pidstat-u.txt', 'seed002-4.9-sysrq-w-arm.log', 'seed002-4.9-top-busybox-abnormal.txt',
    'qemu-6.1-sysrq-t-first150.log', 'qemu-6.1-global-oom.log', 'qemu-6.1-rcu-stall-self-detected.log',
    'host-6.18-ps-aux.txt', 'host-6.18-hung-task-fuse.dmesg.log']);
  assertSurvivesGarbage(trace, FIXTURE);
});
