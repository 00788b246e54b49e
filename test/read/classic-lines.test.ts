import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ClassicSyslogLines } from '../../src/read/classic-lines.js';
import { KernelLineAssembler } from '../../src/read/kernel-lines.js';
import { readKmsgLine } from '../../src/read/kmsg-lines.js';
import { FIXTURES } from '../helpers.js';

const fixtures = readdirSync(FIXTURES)
  .filter((n) => statSync(join(FIXTURES, n)).isFile() && !n.endsWith('.md') && !/\.(gz|xz|zst|bz2|tar)$/.test(n));

/** Every line of a fixture through an assembler with the classic reader and one without: the same kernel lines. */
function assertSame(name: string, lines: readonly string[]): void {
  const fast = new KernelLineAssembler(0);
  const ref = new KernelLineAssembler(0, { fast: false });
  lines.forEach((t, i) => {
    assert.deepEqual(fast.assemble(i + 1, t), ref.assemble(i + 1, t), `${name}:${i + 1}: ${t}`);
    assert.equal(fast.lastConsumed, ref.lastConsumed, `${name}:${i + 1}`);
  });
  assert.deepEqual(fast.finish(), ref.finish(), name);
  assert.equal(fast.dominantFormat(), ref.dominantFormat(), name);
  assert.deepEqual(fast.elided, ref.elided, name);
}

test('the classic syslog and kmsg readers give parsePrefix\'s kernel lines on every fixture line', () => {
  let taken = 0;
  let kmsg = 0;
  for (const name of fixtures) {
    // utf8 as the reader decodes them, and latin1 (each byte a character: other non-ASCII text).
    for (const enc of ['utf8', 'latin1'] as const) {
      const lines = readFileSync(join(FIXTURES, name), enc).split('\n');
      assertSame(`${name} (${enc})`, lines);
      const classic = new ClassicSyslogLines(0);
      if (enc === 'utf8') for (const t of lines) if (classic.read(1, t, null)) taken++;
      if (enc === 'utf8') for (const t of lines) if (readKmsgLine(0, 1, t)) kmsg++;
    }
  }
  // The fixtures hold over 2,000 classic syslog lines: the reader must take them itself.
  assert.ok(taken > 1500, `taken ${taken}`);
  assert.ok(kmsg > 300, `kmsg ${kmsg}`);
});

// Near misses: a classic prefix from the fixtures (qemu-6.1-prefix-rsyslog-traditional.log) with
// what may follow it or differ in it, each after a line with the same prefix (so the kept prefix
// is used) and alone. No kernel message text is changed; the pieces are joined differently.
const head = 'Dec  1 10:28:06 vm kernel: ';
const msg = 'oom-kill:constraint=CONSTRAINT_NONE';
const tails = [
  `[   32.416642] ${msg}`, `[   32.416642]${msg}`, `[32.416642] ${msg}`, `[   32.416642]  ${msg}`, `[   32.416642]\t${msg}`,
  `[   32.416642]\u00a0${msg}`, `[\u00a032.416642] ${msg}`, `[ \u2003 32.416642] ${msg}`, `[   32.] ${msg}`, `[   .416642] ${msg}`,
  `[   32] ${msg}`, `[   32.416642 ${msg}`, `[   32.4166x2] ${msg}`, `[ 1234567890123.416642] ${msg}`, `[ 12345678901234567890.416642] ${msg}`, `[ 9007199254740993.5] ${msg}`,
  `[   32.416642] [Tue Dec  1 10:28:06 2026] ${msg}`, `[Tue Dec  1 10:28:06 2026] ${msg}`, `[Di Dez  1 10:28:06 2026] ${msg}`,
  `[   32.416642] [  1234]     0  1234    12345      678`, `[   32.416642] [12345]     0 12345    12345      678`, `[   32.416642] [ pid ]   uid  tgid`,
  `[   32.416642] [`, `[   32.416642] `, '[', '', ' ', `[   32.416642] anon-rss:49\u2026kB`, `\u2026 ${msg}`, `[   32.416642] \x1b[1m${msg}\x1b[0m`,
  `[   32.416642] a#011b`, `[   32.416642] Mem-Info:#012active_anon:1 inactive_anon:2`, `[   32.416642] ${msg} ${head}[   32.416643] ${msg} ${head}[   32.416644] ${msg}`,
  `[   32.416642] ${msg}\r`, `[\u0660\u0661.416642] ${msg}`,
];
const heads = [
  head, 'Dec 1 10:28:06 vm kernel: ', 'Dec  1 10:28:06.123456 vm kernel: ', 'Dec  1 10:28:06 vm kernel:', 'Dec  1 10:28:06 vm kernel:  ',
  'Dec  1 10:28:06 vm kernel:\u00a0', 'Dec  1 10:28:06 vm kernel:\t', 'Dec  1 10:28:06 vm kernel[0]: ', 'Dec  1 10:28:06 vm systemd[1]: ',
  'Dec  1 10:28:06 vm: ', 'Dec  1 10:28:06 kernel: ', 'Dec  1 10:28:06 fe80::1 kernel: ', 'Dec  1 10:28:06 vm <kern.warning> kernel: ',
  'Déc.  1 10:28:06 vm kernel: ', 'Xyz  1 10:28:06 vm kernel: ', 'Juni.  1 10:28:06 vm kernel: ', 'dec  1 10:28:06 vm kernel: ',
  'Dec  1 10:28:06 vé kernel: ', 'Dec  1 10:28:06 vm kérnel: ', 'Tue 2026-12-01 10:28:06 UTC vm kernel: ', '> Dec  1 10:28:06 vm kernel: ',
  '  Dec  1 10:28:06 vm kernel: ', '12:Dec  1 10:28:06 vm kernel: ', '\x1b[32mDec  1 10:28:06 vm kernel: ',
];

test('the classic syslog reader agrees with parsePrefix on near misses, with its kept prefix and without', () => {
  const lines: string[] = [];
  for (const h of heads) for (const t of tails) lines.push(`${head}[   32.416640] ${msg}`, h + t, h + t, h + tails[0], h + t);
  assertSame('near misses', lines);
  // A year stated by an ISO line completes the next classic lines' time; a later one replaces it.
  const years = ['2025-12-01T10:28:05.123456+00:00 vm kernel: [   32.41] x', head + tails[0], head + tails[1],
    'Dec  1 10:28:05 vm kernel: [Tue Dec  1 10:28:05 2026] x', head + tails[0], head + tails[0]];
  assertSame('years', years);
  const asm = new KernelLineAssembler(0);
  assert.deepEqual(years.map((t, i) => asm.assemble(i + 1, t)[0].time),
    ['2025-12-01T10:28:05+00:00', '2025-12-01T10:28:06', '2025-12-01T10:28:06', '2026-12-01T10:28:05', '2026-12-01T10:28:06', '2026-12-01T10:28:06']);
});

test('the classic syslog reader reads the prefix, the printk time and the message', () => {
  const r = new ClassicSyslogLines(3);
  assert.deepEqual(r.read(7, head + tails[0], 2026), { input: 3, line: 7, text: head + tails[0], msg, prefixed: true, uptimeSec: 32.416642,
    time: '2026-12-01T10:28:06', timeText: 'Dec 1 10:28:06', caller: null, fromKernel: true });
  // The kept prefix: the same fields for the next line, another time for another year.
  assert.equal(r.read(8, `${head}[   33.5] x`, null)?.uptimeSec, 33.5);
  assert.equal(r.read(8, `${head}[   33.5] x`, null)?.time, null);
  assert.equal(r.read(9, `${head}x`, 2025)?.time, '2025-12-01T10:28:06');
  // Lines it leaves to parsePrefix.
  const left = [`[   32.416642]\u00a0${msg}`, `[\u00a032.416642] ${msg}`, `[   32.416642] [Tue Dec  1 10:28:06 2026] ${msg}`, `[Tue Dec  1 10:28:06 2026] ${msg}`,
    `[   32.416642] \x1b[1m${msg}\x1b[0m`];
  for (const t of left) assert.equal(r.read(10, head + t, null), null, t);
  assert.equal(r.read(10, `Xyz  1 10:28:06 vm kernel: ${msg}`, null), null);
});

// kmsg records of the fixtures (host-6.18-memcg-v1-oom.kmsg.log), and the forms around them that
// start with a digit: journalctl short-unix, ISO stamps, grep -n numbers, cut records.
test('the kmsg reader agrees with parsePrefix on records and near misses', () => {
  const rec = '6,1234,5678901,-;oom-kill:constraint=CONSTRAINT_NONE';
  const lines = [rec, '6,1234,5678901,-,caller=T37;x', '6,1234,5678901,caller=C1;x', '12,1,2,-;mt9-init: x', '14,1,2,-;x\u2026y', '6,1,2;x', '6,1,2,-',
    '6,1,2,-;', '123456789012,1,2,-;x', '1234,1,2,-;x', '1796121002.167685 vm kernel: x', '2026-12-01T10:28:06+00:00 vm kernel: x', '2026-12-01T10:28:06,123456+00:00 x',
    '59:6,1,2,-;x', '6,1,2,-;\x1b[1mx', '6 ,1,2,-;x', '6,1,2,-;[ 1.5] x', '0,1,2,-;x', '6,1,2.5,-;x', '6,1,99999999999999999999,-;x', '1796121002.167685 vm kernel: [   32.4] x'];
  assertSame('kmsg', [...lines, ...lines.map((l) => ` ${l}`), ...lines]);
  assert.deepEqual(readKmsgLine(2, 9, '6,1234,5678901,-,caller=T37;x'), { input: 2, line: 9, text: '6,1234,5678901,-,caller=T37;x', msg: 'x', prefixed: true,
    uptimeSec: 5.678901, time: null, timeText: null, caller: 'T37', fromKernel: true });
  assert.equal(readKmsgLine(0, 1, '12,1,2,-;mt9-init: x')?.fromKernel, false);
  for (const l of ['6,1,2;x', '1796121002.167685 vm kernel: x', '6,1,2,-;\x1b[1mx', ' 6,1,2,-;x']) assert.equal(readKmsgLine(0, 1, l), null, l);
});
