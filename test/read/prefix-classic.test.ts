import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readClassicSyslog } from '../../src/read/prefix-classic.js';
import { parsePrefix, SYSLOG } from '../../src/read/prefix.js';
import { parseSyslogVariant } from '../../src/read/prefix-syslog.js';
import { FIXTURES } from '../helpers.js';

/** What the SYSLOG pattern says of a line where the variant patterns tried before it say nothing. */
function byPattern(line: string): { length: number; month: string; day: string; hms: string; host: string; tag: string } | null {
  if (parseSyslogVariant(line)) return null;
  const m = SYSLOG.exec(line);
  return m ? { length: m[0].length, month: m[1], day: m[2], hms: m[3], host: m[4], tag: m[5] } : null;
}

/** Lines the hand reader must read itself (not hand to the patterns): plain ASCII, no ':' in the host. */
function mustRead(line: string): boolean {
  const p = byPattern(line);
  return p != null && /^[\x20-\x7e\t]*$/.test(line.slice(0, p.length + 1)) && !p.host.includes(':') && !p.tag.startsWith('<');
}

const fixtureLines = readdirSync(FIXTURES)
  .filter((n) => statSync(join(FIXTURES, n)).isFile() && !n.endsWith('.md') && !/\.(gz|xz|zst|bz2|tar)$/.test(n))
  .flatMap((n) => readFileSync(join(FIXTURES, n), 'latin1').split('\n'));

// Near misses of the classic form, each a way a prefix differs from it (syslog lines from the
// fixtures, cut or joined differently by the test; no kernel message text is changed).
const base = 'Dec  1 10:28:06 vm kernel: [   32.416642] oom-kill:constraint=CONSTRAINT_NONE';
const nearMisses = [
  base, base.replace('Dec  1', 'Dec 1'), base.replace('Dec  1', 'Dec 123'), base.replace('Dec', 'Decem'), base.replace('Dec', 'Decemb'),
  base.replace('Dec', 'Dé'), base.replace('Dec', 'Déc.'), base.replace('Dec', 'Juni.'), base.replace('Dec', 'Xyz'), base.replace('10:28:06', '10:28:06.123456'),
  base.replace('10:28:06', '10:28:06.'), base.replace('10:28:06', '10:28:6'), base.replace(' vm ', ' \tvm\t '), base.replace(' vm ', ' fe80::1 '),
  base.replace(' vm kernel:', ' vm:'), base.replace(' vm kernel:', ' kernel:'), base.replace('kernel:', 'kernel[0]:'), base.replace('kernel:', 'kernel[]:'),
  base.replace('kernel:', '[12]:'), base.replace('kernel:', 'a[1[2]:'), base.replace('kernel:', '<kern.warning> kernel:'), base.replace('kernel:', '<kern.warning>kernel:'),
  base.replace('kernel: ', 'kernel:\u00a0'), base.replace('kernel: ', 'kernel:'), base.replace('kernel: ', 'kernel:  '), base.replace(' vm ', '\u00a0vm '),
  base.replace(' vm ', ' vé '), base.replace('kernel:', 'kérnel:'), base.replace('kernel:', 'ker nel:'), 'Dec  1 10:28:06 vm kernel', 'Dec  1 10:28:06 vm',
  'Dec  1 10:28:06', 'Tue 2026-12-01 10:28:06 UTC vm kernel: x', 'kern  :warn  : x', 'Dec  1 10:28:06 vm kernel:', 'Dec  1 10:28:06 vm kernel: ',
];

test('the hand-read classic syslog prefix gives the SYSLOG pattern\'s groups, or asks the patterns', () => {
  let read = 0;
  for (const line of [...fixtureLines, ...nearMisses]) {
    const got = readClassicSyslog(line);
    if (got) {
      assert.deepEqual(got, byPattern(line), line);
      read++;
    } else {
      assert.ok(!mustRead(line), `not read by hand: ${line}`);
    }
  }
  // The fixtures hold thousands of classic syslog lines: the hand reader must take them.
  assert.ok(read > 1000, `read ${read}`);
});

test('parsePrefix reads the near misses as before: classic lines by hand, the others by their patterns', () => {
  const p = (l: string) => parsePrefix(l);
  assert.deepEqual(p(base), { msg: 'oom-kill:constraint=CONSTRAINT_NONE', format: 'syslog', uptimeSec: 32.416642, time: null, timeText: 'Dec 1 10:28:06',
    noYear: { month: 12, day: 1, hms: '10:28:06' }, host: 'vm', fromKernel: true, caller: null });
  assert.equal(p(base.replace('kernel:', 'kernel[0]:')).fromKernel, true);
  assert.equal(p(base.replace('kernel:', 'systemd[1]:')).fromKernel, false);
  assert.equal(p(base.replace(' vm kernel:', ' vm:')).format, 'syslog-notag');
  assert.equal(p(base.replace('kernel:', '<kern.warning> kernel:')).format, 'syslog-pri');
  assert.equal(p(base.replace(' vm ', ' fe80::1 ')).host, 'fe80::1');
  assert.equal(p(base.replace('kernel: ', 'kernel:\u00a0')).msg, '[   32.416642] oom-kill:constraint=CONSTRAINT_NONE'.replace(/^\[\s*[\d.]+\] /, ''));
  assert.equal(p(base.replace('Dec', 'Xyz')).format, 'console');
});
