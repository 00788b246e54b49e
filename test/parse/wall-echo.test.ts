import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SoftLockupIncident } from '../../src/model/kernel-incidents.js';
import { analyze, render } from '../../src/index.js';
import { parsePrefix } from '../../src/read/prefix.js';
import { analyzeFixtures, analyzeText, fixturePath, readFixture } from '../helpers.js';

// rsyslog's `*.emerg :omusrmsg:*` echoes a soft lockup's first line (pr_emerg) to every logged-in
// terminal. Fixtures: Debian 6.1 under qemu, a login session on script(1)'s pty, captured on the
// serial console and in script's typescript (test/fixtures/README.md, "s2-logs").
// "nots": imklog with KeepKernelTimestamp="off", so the echo carries no printk time.

const lockups = (xs: { kind: string }[]): SoftLockupIncident[] => xs.filter((x): x is SoftLockupIncident => x.kind === 'soft_lockup');
const lineOf = (name: string, n: number): string => readFixture(name).split('\n')[n - 1].replace(/\r$/, '');

test('the echo line is read as a kernel line: " kernel:" taken off, the printk time kept', () => {
  const echo = lineOf('qemu-6.1-copies-wall-console.log', 59);
  assert.ok(echo.startsWith(' kernel:[   32.416642] watchdog:'), 'the fixture line is the echo');
  const p = parsePrefix(echo);
  assert.deepEqual([p.format, p.uptimeSec, p.msg], ['wall', 32.416642, 'watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [insmod:109]']);
  const spaced = parsePrefix(lineOf('qemu-6.1-copies-wall-nots-console.log', 48));
  assert.deepEqual([spaced.uptimeSec, spaced.msg], [null, 'watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [insmod:108]']);
});

// [fixture, kept report's first line, the copies' first lines (echo and/or dmesg), pid]
const CASES: [string, number, number[], number][] = [
  // console: the kernel's own copy, the wall echo, then `dmesg | tail` typed in the session
  ['qemu-6.1-copies-wall-console.log', 13, [59, 76], 109],
  // typescript: the echo comes first, then the dmesg copy (the whole report is kept, not the echo)
  ['qemu-6.1-copies-wall-script.log', 27, [11], 109],
  ['qemu-6.1-copies-wall-nots-console.log', 13, [48, 76], 108],
  // no clock on the echo and it comes first: merged because the header line says it is an echo
  ['qemu-6.1-copies-wall-nots-script.log', 38, [11], 108],
];

for (const [name, line, copies, pid] of CASES) {
  test(`${name}: the wall echo is a copy of the soft lockup, not a second one; both copies kept`, async () => {
    const a = await analyzeFixtures([name]);
    const s = lockups(a.incidents);
    assert.equal(s.length, 1, 'one soft lockup');
    assert.deepEqual([s[0].line, s[0].cpu, s[0].seconds, s[0].comm, s[0].pid], [line, 0, 26, 'insmod', pid]);
    assert.deepEqual(s[0].copies?.map((c) => [c.input, c.line]), copies.map((l) => [0, l]));
    // The kept copy is the kernel's whole report (its stack), not the one-line echo.
    assert.equal(s[0].echo, undefined);
    assert.ok(s[0].callTrace.some((f) => f.fn === 'do_init_module'));
    assert.match(lineOf(name, s[0].line), /^\[\s+32\.\d+\] watchdog: BUG: soft lockup/);
    const echoLine = copies.find((l) => lineOf(name, l).startsWith(' kernel:'));
    assert.ok(echoLine != null && /Message from syslogd@s2vm at /.test(lineOf(name, echoLine - 1)), 'a copy is the echo under its header');
  });
}

test('two inputs of one machine (the session\'s typescript and rsyslog\'s kern.log): one soft lockup, the echo and the syslog copy both kept', async () => {
  const a = await analyzeFixtures(['qemu-6.1-copies-wall-script.log', 'qemu-6.1-copies-wall.kern.log']);
  const s = lockups(a.incidents);
  assert.equal(s.length, 1);
  // kern.log line 3: "Dec  1 12:55:03 s2vm kernel: [   32.416642] watchdog: BUG: soft lockup …"
  assert.deepEqual([s[0].input, s[0].line, s[0].copies?.map((c) => [c.input, c.line])], [0, 27, [[0, 11], [1, 3]]]);
});

test('kept apart (keepCopies), the echo is marked as one and holds only its line', async () => {
  const a = await analyze([{ path: fixturePath('qemu-6.1-copies-wall-nots-script.log') }], { rules: [], keepCopies: true });
  const s = lockups(a.incidents);
  assert.deepEqual(s.map((i) => [i.line, i.endLine, i.echo ?? null, i.callTrace.length > 0]), [[11, 11, 'wall', false], [38, 70, null, true]]);
});

test('without the wall header, a clock-less " kernel:" line is not taken for an echo (a repeat cannot be told)', async () => {
  // The same capture with rsyslog's header line left out of the paste.
  const lines = readFixture('qemu-6.1-copies-wall-nots-script.log').split('\n');
  const header = lines.findIndex((l) => l.includes('Message from syslogd@'));
  assert.ok(header > 0);
  const a = await analyzeText([...lines.slice(0, header), ...lines.slice(header + 1)].join('\n'));
  assert.equal(lockups(a.incidents).length, 2);
  // With its printk time, the echo still meets the kernel's copy by clock.
  const timed = readFixture('qemu-6.1-copies-wall-script.log').split('\n');
  const h2 = timed.findIndex((l) => l.includes('Message from syslogd@'));
  const b = await analyzeText([...timed.slice(0, h2), ...timed.slice(h2 + 1)].join('\n'));
  assert.equal(lockups(b.incidents).length, 1);
});

test('the text report names the echo among the places the record was seen', async () => {
  const text = render(await analyzeFixtures(['qemu-6.1-copies-wall-console.log']), 'text');
  assert.match(text, /same record also at qemu-6\.1-copies-wall-console\.log:59-59, qemu-6\.1-copies-wall-console\.log:76-119/);
});
