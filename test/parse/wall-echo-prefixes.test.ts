import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SoftLockupIncident } from '../../src/model/kernel-incidents.js';
import { parsePrefix } from '../../src/read/prefix.js';
import { analyzeFixtures, readFixture } from '../helpers.js';

// The wall echo (rsyslog's `*.emerg :omusrmsg:*` on a terminal, fixtures "s2-logs") as a paste
// numbers it: the real wall captures run through `grep -n ''`, `cat -n` and `grep -n -B1 -A40 'soft
// lockup'` (test/fixtures/README.md, "s3-kinds"). The echo must still be one copy of the kernel's
// soft lockup, not a second one, with both places kept.

const lockups = (xs: { kind: string }[]): SoftLockupIncident[] => xs.filter((x): x is SoftLockupIncident => x.kind === 'soft_lockup');
const lines = (name: string): string[] => readFixture(name).split('\n');

// [numbered fixture, its source, how each source line n appears, the kept report's line, the copies' lines, pid]
type Case = [string, string, (n: number, text: string) => string, number, number[], number];
const CASES: Case[] = [
  // echo with its printk time, after the console's own copy: "59: kernel:[   32.416642] watchdog: …"
  ['qemu-6.1-copies-wall-console.grep-n.log', 'qemu-6.1-copies-wall-console.log', (n, t) => `${n}:${t}`, 13, [59, 76], 109],
  // clock-less echo first, then the dmesg copy: "11: kernel: watchdog: …" under "10:\aMessage from syslogd@…"
  ['qemu-6.1-copies-wall-nots-script.grep-n.log', 'qemu-6.1-copies-wall-nots-script.log', (n, t) => `${n}:${t}`, 38, [11], 108],
  // cat -n: "    48\t kernel: watchdog: …" (the tab and the echo's own space side by side)
  ['qemu-6.1-copies-wall-nots-console.cat-n.log', 'qemu-6.1-copies-wall-nots-console.log', (n, t) => `${String(n).padStart(6)}\t${t}`, 13, [48, 76], 108],
];

for (const [name, source, numbered, line, copies, pid] of CASES) {
  test(`${name}: the numbered wall echo is a copy of the soft lockup, not a second one; both copies kept`, async () => {
    // The fixture is the tool's output of the real capture, line for line.
    const src = lines(source);
    const got = lines(name);
    assert.equal(got.length, src.length);
    src.forEach((t, i) => { if (i < src.length - 1) assert.equal(got[i], numbered(i + 1, t), `line ${i + 1}`); });
    const s = lockups((await analyzeFixtures([name])).incidents);
    assert.equal(s.length, 1, 'one soft lockup');
    assert.deepEqual([s[0].line, s[0].cpu, s[0].seconds, s[0].comm, s[0].pid], [line, 0, 26, 'insmod', pid]);
    assert.deepEqual(s[0].copies?.map((c) => [c.input, c.line]), copies.map((l) => [0, l]));
    assert.equal(s[0].echo, undefined, 'the kernel\'s whole copy is kept, not the echo');
    assert.ok(s[0].callTrace.some((f) => f.fn === 'do_init_module'));
  });
}

test('grep -n -B1 -A40 "soft lockup": the header as a context line ("10-"), the echo as a match ("11:"), the dmesg copy further down', async () => {
  const name = 'qemu-6.1-copies-wall-nots-script.grep-B1-A40.log';
  const src = lines('qemu-6.1-copies-wall-nots-script.log');
  const got = lines(name);
  // grep's output: lines 10-51 of the source, then "--", then 37-78 (matches with ":", context with "-").
  for (const [at, n] of [[0, 10], [1, 11], [28, 38]] as const) assert.equal(got[at], `${n}${/soft lockup/.test(src[n - 1]) ? ':' : '-'}${src[n - 1]}`);
  const s = lockups((await analyzeFixtures([name])).incidents);
  assert.equal(s.length, 1, 'one soft lockup');
  assert.deepEqual([s[0].line, s[0].pid, s[0].copies?.map((c) => c.line)], [29, 108, [2]]);
  assert.match(got[s[0].copies![0].line - 1], /^11: kernel: watchdog: BUG: soft lockup/);
});

test('a numbered echo is read as the kernel\'s line: number and " kernel:" taken off, the printk time kept', () => {
  const timed = parsePrefix(lines('qemu-6.1-copies-wall-console.grep-n.log')[58].replace(/\r$/, ''));
  assert.deepEqual([timed.format, timed.uptimeSec, timed.fromKernel, timed.msg], ['numbered+wall', 32.416642, true, 'watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [insmod:109]']);
  const catn = parsePrefix(lines('qemu-6.1-copies-wall-nots-console.cat-n.log')[47].replace(/\r$/, ''));
  assert.deepEqual([catn.format, catn.uptimeSec, catn.msg], ['numbered+kernel-tag', null, 'watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [insmod:108]']);
});

test('grep -n "soft lockup" (no header line): the numbered echo keeps its printk time, so it still meets the other copies by clock', async () => {
  // "13:[   32.416642] watchdog: …", "59: kernel:[   32.416642] watchdog: …", "76:[   32.416642] watchdog: …"
  const name = 'qemu-6.1-copies-wall-console.grep-n-soft-lockup.log';
  const src = lines('qemu-6.1-copies-wall-console.log');
  assert.deepEqual(lines(name).slice(0, 3), [13, 59, 76].map((n) => `${n}:${src[n - 1]}`));
  const s = lockups((await analyzeFixtures([name])).incidents);
  assert.equal(s.length, 1, 'one soft lockup');
  assert.deepEqual([s[0].line, s[0].uptimeSec, s[0].copies?.map((c) => c.line)], [1, 32.416642, [2, 3]]);
});

// A mail reply quoting the capture: mblaze's `mquote` (the attribution line, then "> " before each
// line): the echo becomes ">  kernel:[   32.416642] watchdog: …" under "> \aMessage from syslogd@…".
const QUOTED: [string, string, number, number[], number][] = [
  ['qemu-6.1-copies-wall-console.mquote.log', 'qemu-6.1-copies-wall-console.log', 14, [60, 77], 109],
  ['qemu-6.1-copies-wall-nots-script.mquote.log', 'qemu-6.1-copies-wall-nots-script.log', 39, [12], 108],
];
for (const [name, source, line, copies, pid] of QUOTED) {
  test(`${name}: the quoted wall echo is a copy of the soft lockup; both copies kept`, async () => {
    const src = lines(source);
    const got = lines(name);
    assert.equal(got[0], 's3-kinds <s3k@localhost> wrote:');
    src.slice(0, -1).forEach((t, i) => assert.equal(got[i + 1], `> ${t}`, `line ${i + 2}`));
    const s = lockups((await analyzeFixtures([name])).incidents);
    assert.equal(s.length, 1, 'one soft lockup');
    assert.deepEqual([s[0].line, s[0].pid, s[0].copies?.map((c) => c.line)], [line, pid, copies]);
    assert.ok(s[0].callTrace.some((f) => f.fn === 'do_init_module'));
    assert.match(got[copies[0] - 1], /^> {2}kernel:/);
  });
}

test('a quoted echo is read as the kernel\'s line, its printk time kept', () => {
  const p = parsePrefix(lines('qemu-6.1-copies-wall-console.mquote.log')[59].replace(/\r$/, ''));
  assert.deepEqual([p.format, p.uptimeSec, p.msg], ['quoted+wall', 32.416642, 'watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [insmod:109]']);
});
