import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildSized } from '../../bench/corpus.js';
import { rng, type Rng } from '../../bench/rng.js';
import { LineClassifier, READ_BYTES } from '../../src/read/line-class.js';
import { SLICE_BYTES, WasmLineClassifier } from '../../src/read/line-class-wasm.js';
import { FIXTURES } from '../helpers.js';
import { realNoise } from './real-noise.js';
import { SCAN_MESSAGE_STARTS, SCAN_NEEDLES } from '../../src/parse/kernel/markers.js';

// The wasm classifier (wasm/line-class.ts) must give exactly the runs, line counts and
// afterLeading of the JS LineClassifier, its reference, for any bytes: the readers use the wasm
// one, and the fast path's tests (fast-path, parallel-scan) only see what reaches the parser.

/** Every file under the fixtures (logs, /proc dumps, compressed files: odd bytes too). */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : [join(dir, d.name)]));
}
const FIXTURE_FILES = files(FIXTURES).filter((f) => !f.endsWith('.md'));

/** Both classifiers over the same regions, their state carried from call to call as a reader does. */
class Pair {
  readonly js = new LineClassifier();
  readonly wasm = new WasmLineClassifier();
  calls = 0;

  constructor(leading = false) {
    this.reset(leading);
  }

  reset(leading: boolean): this {
    this.js.afterLeading = this.wasm.afterLeading = leading;
    return this;
  }

  same(buf: Buffer, s: number, e: number, base: number, what: string): void {
    const a: number[] = [], b: number[] = [];
    const la = this.js.classify(buf, s, e, base, a);
    const lb = this.wasm.classify(buf, s, e, base, b);
    this.calls++;
    if (la !== lb || this.js.afterLeading !== this.wasm.afterLeading || a.length !== b.length || a.some((x, i) => x !== b[i])) {
      const k = a.findIndex((x, i) => x !== b[i]);
      const r = k === -1 ? 0 : k - (k % 4);
      assert.fail(`${what} [${s}, ${e}): lines ${la}/${lb}, afterLeading ${this.js.afterLeading}/${this.wasm.afterLeading}, ` +
        `runs ${a.length / 4}/${b.length / 4}, first difference at run ${r / 4}: js ${a.slice(r, r + 4)} wasm ${b.slice(r, r + 4)} ` +
        `line ${JSON.stringify(buf.subarray(a[r + 2] - base, a[r + 2] - base + 200).toString('latin1').split('\n')[0])}`);
    }
  }
}

/** The lines of buf cut into the regions a chunked reader gives: whole lines ending in each chunk. */
function chunked(buf: Buffer, size: number, what: string, leading = false): void {
  const pair = new Pair(leading);
  let from = 0;
  for (let c = size; from < buf.length; c += size) {
    const last = buf.lastIndexOf(10, Math.min(c, buf.length) - 1);
    if (last >= from) {
      pair.same(buf, from, last + 1, 1000, `${what}, chunks of ${size}`);
      from = last + 1;
    }
    if (c >= buf.length) break;
  }
}

/** buf copied to memory at an address ≡ shift (mod 8): the JS marker scan reads aligned words. */
function shifted(buf: Buffer, shift: number): Buffer {
  const mem = Buffer.alloc(buf.length + 8);
  const off = (8 - (mem.byteOffset % 8) + shift) % 8;
  buf.copy(mem, off);
  return mem.subarray(off, off + buf.length);
}

test('every fixture file gives the same runs, whole and cut into chunks of any size', () => {
  assert.ok(FIXTURE_FILES.length > 300);
  for (const f of FIXTURE_FILES) {
    const buf = readFileSync(f);
    for (const shift of [0, 1, 2, 3]) chunked(shifted(buf, shift), buf.length + 1, `${f} at +${shift}`, shift === 3);
    for (const size of [4093, 333, 61, 7]) chunked(buf, size, f);
  }
});

test('every fixture file gives the same runs from any line on, after a leading line or not (a worker\'s part)', () => {
  const pair = new Pair(); // (a LineClassifier builds its marker table: one for all)
  for (const f of FIXTURE_FILES) {
    const buf = readFileSync(f);
    const end = buf.lastIndexOf(10) + 1;
    for (let cut = 0; cut < end; cut += 1 + Math.floor(end / 37)) {
      const s = cut === 0 ? 0 : buf.indexOf(10, cut - 1) + 1;
      if (s >= end || s === 0 && cut > 0) continue;
      const stop = Math.max(buf.lastIndexOf(10, Math.min(end, s + (64 << 10)) - 1) + 1, s); // a few lines are enough
      for (const leading of [false, true]) pair.reset(leading).same(buf, s, stop, 0, `${f} from ${s}`);
    }
  }
});

/** The byte sequences a real file may hold that the classifier treats specially. */
const ODD: string[] = ['\0', '\r', '\xe2', '\xe2\x80\xa6', '\xc3\xa9', '\xc2\xa0', '\xe3\x80\x80', '\x80', '\x85', '\t', ' ', '  ', '\x0b', '\x0c', '\x7f', '\xff',
  ']', '] ', '[', ':', ' kernel: ', 'kernel: ', '0', '1', '9', '9] ', ';', ',', '<', '.', '+', '-', 'Z', 'T', 'p', 't', 'x'];
/** Words the classifier looks for (needles, report starts, task-table tails), to put in with their case changed at random. */
const WORDS = [...SCAN_NEEDLES.map((n) => n.text), ...SCAN_MESSAGE_STARTS, 'Tasks state', 'Node 0 ', 'DMA32: 1', '[  pid  ]', '[   103]', '12 pages', 'kernel: '];

function flipCase(r: Rng, s: string): string {
  return s.replace(/[a-zA-Z]/g, (c) => (r() < 0.3 ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c));
}

/** A fixture line changed at a random place (mostly in its prefix): bytes put in, replaced, doubled, taken out, cut. */
function mutate(r: Rng, line: string): string {
  const at = Math.floor(r() * (Math.min(line.length, r() < 0.7 ? 48 : 200) + 1));
  const pick = r();
  const odd = (): string => ODD[Math.floor(r() * ODD.length)];
  if (pick < 0.3) return line.slice(0, at) + odd() + line.slice(at);
  if (pick < 0.45) return line.slice(0, at) + odd() + line.slice(at + 1);
  if (pick < 0.55) return line.slice(0, at) + line[at] + line.slice(at); // "1" → "11", "  " → "   "
  if (pick < 0.65) return line.slice(0, at) + line.slice(at + 1 + Math.floor(r() * 3));
  if (pick < 0.72) return line.slice(0, at);
  if (pick < 0.82) return line.slice(0, at) + flipCase(r, WORDS[Math.floor(r() * WORDS.length)]) + line.slice(at);
  if (pick < 0.86) return flipCase(r, line);
  if (pick < 0.93) return line + ' ' + (r() < 0.5 ? line : odd() + line.slice(at)); // long, maybe folded
  return line.replace(/ /g, () => (r() < 0.3 ? '  ' : ' '));
}

const BLANKS = ['', ' ', '\t', '        ', ' \t ', '\r', ' \r', '\t\r', '\r\r'];

test('fixture lines with NUL, CR, 0xE2, UTF-8, cuts, long and blank lines, CRLF give the same runs', () => {
  const r = rng(41);
  const alone = new Pair();
  const logs = FIXTURE_FILES.filter((f) => f.endsWith('.log')).map((f) => readFileSync(f, 'latin1').split('\n'));
  for (let round = 0; round < 150; round++) {
    const out: string[] = [];
    for (let b = 0; b < 8; b++) {
      const lines = logs[Math.floor(r() * logs.length)];
      const from = Math.floor(r() * lines.length);
      for (const line of lines.slice(from, from + 200)) {
        out.push(r() < 0.4 ? (r() < 0.2 ? mutate(r, mutate(r, line)) : mutate(r, line)) : line);
        if (r() < 0.05) for (let k = Math.floor(r() * (r() < 0.2 ? 100 : 4)); k >= 0; k--) out.push(BLANKS[Math.floor(r() * BLANKS.length)]);
        if (r() < 0.01) out.push(line + 'x'.repeat(Math.floor(r() * 300)));
      }
    }
    for (const line of out) alone.reset(false).same(Buffer.from(line + '\n', 'latin1'), 0, line.length + 1, 0, 'alone');
    const crlf = round % 3 === 0;
    const buf = Buffer.from(out.join(crlf ? '\r\n' : '\n') + '\n', 'latin1');
    for (const size of [buf.length + 1, 4093, 97]) chunked(buf, size, `round ${round}${crlf ? ' (CRLF)' : ''}`, round % 2 === 1);
  }
});

/**
 * Prefixes of the five counted formats with their fields varied around what prefix-bytes.ts
 * accepts (digit counts, leading zeros, time zones, fractions, hosts, tags, an inner stamp), then a
 * real message: each rule of the prefix, on both sides of it.
 */
function stamp(r: Rng): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const num = (max: number): string => String(Math.floor(r() * max));
  const hms = (): string => pick(['10:21:50', '00:00:00', '9:21:50', '10:2:50', '10:21:5', '10-21-50', '10:21:509']);
  const month = (): string => pick(['Jun', 'jun', 'JUN', 'Dec', 'Jux', 'Ju', 'June']);
  const inner = (): string => pick(['', '', '[ 12.5] ', '[12.] ', '[Sat Jun 11 10:21:50 2016] ', '[Sat Jun 11 10:21:50 016] ']);
  switch (Math.floor(r() * 5)) {
    case 0:
      return `[${' '.repeat(Math.floor(r() * 5))}${pick(['', num(99999)])}${pick(['.', ',', ''])}${pick(['', num(999999)])}]` +
        pick([' ', '', '\t', '  ', ' vm kernel: ', ' vm kernel:x ', '\x85 ']) + inner();
    case 1:
      return `[${pick(['Sat', 'Di', 'Mo.', '', 'Sat  '])} ${month()} ${pick(['1', ' 1', '11', '111', ''])} ${hms()} ${pick(['2016', '0999', '016', '20160', '2016 '])}${pick([']', ' ]', ''])} `;
    case 2:
      return `${pick([num(9), '', 'x'])},${num(99999)},${pick([num(1e9), ''])}${pick([',-;', ',c;', ';', ',-,x;', ',-'])}`;
    case 3:
      return `${month()} ${pick(['1', ' 1', '12', '123', ''])} ${hms()}${pick(['', '.123', '.'])} ${pick(['host', 'h:', '', 'a b', 'h\xe9'])} ` +
        `${pick(['kernel:', 'kernel', '<kern.warning>kernel:', 'k[12]:', 'ker nel:', ':'])}${pick([' ', '', '  ', '\t'])}${inner()}`;
    default:
      return `${pick(['2022', '0999', '22'])}-${pick(['06', '6'])}-12T${hms()}${pick(['', '.5', '.', ',5', 'Z', '+08:00', '+0800', '-05', '+08:0', 'Z.5', '+08:00x'])}` +
        `${pick([' ', '  ', ''])}${pick(['host', 'h:', ''])} ${pick(['kernel:', 'kernel: ', '<kern.warning>kernel:'])} ${inner()}`;
  }
}

test('prefixes varied around every rule of prefix-bytes.ts, before real messages, give the same runs', () => {
  const r = rng(43);
  const alone = new Pair();
  for (let round = 0; round < 40; round++) {
    const out: string[] = [];
    for (let i = 0; i < 500; i++) {
      const msg = realNoise(r);
      const word = r() < 0.15 ? flipCase(r, WORDS[Math.floor(r() * WORDS.length)]) : '';
      const line = stamp(r) + (r() < 0.5 ? word + msg : msg + ' ' + word);
      out.push(r() < 0.2 ? mutate(r, line) : line);
    }
    chunked(Buffer.from(out.join('\n') + '\n', 'latin1'), 1 << 20, `stamps, round ${round}`, round % 2 === 1);
    // Each line alone too: in a run, a line after an undecided one is decoded whatever its prefix.
    for (const line of out) alone.reset(false).same(Buffer.from(line + '\n', 'latin1'), 0, line.length + 1, 0, 'alone');
  }
});

test('every scan needle and start word, at the start, middle and end of a real message, at each alignment, gives the same runs', () => {
  const r = rng(44);
  const pair = new Pair();
  const input = WasmLineClassifier.input();
  const prefixes = ['[  118.239854] ', 'Jun 12 03:24:24 fil kernel: [63030.000001] ', '2022-06-12T03:24:24+0800 fil kernel: ', '6,1,1000,-;', '[Sat Jun 11 10:21:50 2016] '];
  for (const word of WORDS) {
    for (const w of [word, word.toUpperCase(), word.toLowerCase(), flipCase(r, word), word.slice(1), word.slice(0, -1)]) {
      for (let pad = 0; pad < 4; pad++) {
        const msg = realNoise(r);
        for (const prefix of prefixes) {
          for (const line of [prefix + w + msg, prefix + msg.slice(0, 9) + w + msg.slice(9), prefix + msg + w, prefix + msg + ' ' + w]) {
            // In the wasm input region itself (classified in place), so that pad moves the line's
            // address in the wasm memory too: the scans read aligned words.
            const text = 'x'.repeat(pad) + line + '\n';
            input.write(text, 0, 'latin1');
            pair.reset(false).same(input, pad, text.length, 0, 'needle');
          }
        }
      }
    }
  }
});

test('a long run of blank lines and a region of one line give the same runs', () => {
  for (const text of ['\n'.repeat(100003), ' \n'.repeat(5001) + '\t\n'.repeat(3), '\r\n'.repeat(999) + '\n'.repeat(17) + 'x\n', 'x\n', '\n', '[ 1.5] ' + 'y'.repeat(READ_BYTES) + '\n']) {
    chunked(Buffer.from(text, 'latin1'), text.length + 1, JSON.stringify(text.slice(0, 20)));
    chunked(Buffer.from(text, 'latin1'), 4096, JSON.stringify(text.slice(0, 20)));
  }
});

test('a region over SLICE_BYTES, classified in slices, gives the runs of one call (runs joined across the cuts)', () => {
  const r = rng(45);
  const logs = FIXTURE_FILES.filter((f) => f.endsWith('.log')).map((f) => readFileSync(f, 'latin1').split('\n'));
  // dmesg -T lines state a year, which a joined run takes from its later part.
  const noise = (i: number, dated: boolean): string =>
    (dated ? `[Sat Jun 11 10:21:50 ${2016 + (i % 7)}] ` : `[${String(1000 + i).padStart(5)}.${String(i).padStart(6, '0')}] `) + realNoise(r);
  const out: string[] = [];
  // Long runs of one kind (noise, blank lines) so that cuts fall inside runs; reports between them.
  for (let i = 0; out.join('\n').length < 3 * SLICE_BYTES; i++) {
    for (let k = 0; k < 3000; k++) out.push(noise(k, i % 3 !== 2));
    for (let k = 0; k < 20000; k++) out.push(i % 2 ? '' : ' ');
    out.push(...logs[Math.floor(r() * logs.length)]);
  }
  const buf = Buffer.from(out.join('\n') + '\n', 'latin1');
  assert.ok(buf.length > 3 * SLICE_BYTES);
  for (const leading of [false, true]) new Pair(leading).same(buf, 0, buf.length, 7, 'one region of ' + buf.length + ' bytes');
});

test('lines read into the wasm input region are classified in place, with the same runs', () => {
  const input = WasmLineClassifier.input();
  assert.ok(input.length >= READ_BYTES);
  const buf = readFileSync(join(FIXTURES, 'qemu-6.1-copies-console-dmesg-syslog.log'));
  const n = Math.min(buf.length, input.length);
  buf.copy(input, 0, 0, n);
  const end = input.subarray(0, n).lastIndexOf(10) + 1;
  new Pair().same(input, 0, end, 5, 'in place');
  new Pair(true).same(input, 3, end, 5, 'in place, from a line start inside');
});

// Real lines in bulk, where the fixtures are small: a 16 MiB slice of the bench log (bench/corpus.ts
// makes it from fixture lines) when this machine has it; elsewhere (CI) a 16 MiB log made the same
// way (buildSized: real filler lines, a real report every 256 KiB) in a temp dir.
const BENCH = '/work/bench-s3/sized-64m.log';
test('a 16 MiB slice of the 64 MiB bench log (or a 16 MiB log made as it is) gives the same runs in 256 KiB reads', async () => {
  let dir: string | null = null;
  let path = BENCH, from = 24 << 20;
  if (!existsSync(BENCH)) {
    dir = mkdtempSync(join(tmpdir(), 'memtriage-line-class-'));
    path = (await buildSized(FIXTURES, join(dir, 'sized-16m.log'), 16 << 20, 256 << 10)).path;
    from = 0;
  }
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(READ_BYTES);
    const pair = new Pair(true);
    for (let pos = from, stop = pos + (16 << 20); pos < stop;) {
      const got = readSync(fd, buf, 0, buf.length, pos);
      const last = buf.subarray(0, got).lastIndexOf(10);
      if (last === -1) break;
      pair.same(buf, 0, last + 1, pos, path);
      pos += last + 1;
    }
    assert.ok(pair.calls > 60);
  } finally {
    closeSync(fd);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * The port reuses the parse of the last syslog line whose prefix it accepted for a line whose
 * bytes there are the same or digits where that line had digits (wasm/prefix-bytes.ts sameShape).
 * Here each real syslog line is followed by itself with one byte of its first 72 changed (another
 * digit, a space, a letter, a bracket …), taken out, doubled, or the line cut there, in one
 * region, so that the changed line meets the memo: it must be parsed as the reference parses it.
 */
test('a line after a syslog line, with any one byte of its prefix changed, gives the same runs (the port\'s shape memo)', () => {
  const firstOf = (name: string, re: RegExp): string => {
    const line = readFileSync(join(FIXTURES, name), 'latin1').split('\n').find((l) => re.test(l));
    assert.ok(line, `${name} has a line matching ${re}`);
    return line;
  };
  const uptime = /^\S+ +\d+ [\d:]+ \S+ kernel: \[ *\d+\.\d+\] /;
  const bases = [
    firstOf('host-6.18-memcg-v1-oom-both.journal-short.log', /kernel: /),
    firstOf('host-6.18-memcg-v1-oom-both.journal-short-iso.log', /kernel: /),
    firstOf('host-6.18-memcg-v1-oom-both.journal-short-precise.log', /kernel: /),
    firstOf('qemu-6.1-prefix-rsyslog-rfc3339.log', /kernel: /),
    firstOf('qemu-6.1-copies-console-dmesg-syslog.log', uptime),
    firstOf('seed000-4.15-oom-kill-syslog.log', uptime),
    firstOf('qemu-6.1-copies-console-dmesg-syslog.log', /kernel: \[ +\d\.\d+\] /),
  ];
  // The tag's end with nothing or an inner stamp after it: the bytes right after the colon decide.
  for (const b of bases.slice(0, 2)) bases.push(b.slice(0, b.indexOf('kernel:') + 7), b.slice(0, b.indexOf('kernel:') + 8) + '[Sat Jun 11 10:21:50 2016] x');
  const swaps = ['0', '5', '9', ' ', '\t', 'x', 'K', '[', ']', ':', '.', ',', '-', '+', 'T', 'Z', '\xe9', '<'];
  const pair = new Pair();
  for (const base of bases) {
    const variants: string[] = [];
    for (let p = 0; p < Math.min(72, base.length + 1); p++) {
      for (const c of swaps) variants.push(base.slice(0, p) + c + base.slice(p + 1), base.slice(0, p) + c + base.slice(p));
      variants.push(base.slice(0, p) + base.slice(p + 1), base.slice(0, p));
    }
    for (const v of variants) {
      const text = base + '\n' + v + '\n';
      pair.reset(false).same(Buffer.from(text, 'latin1'), 0, text.length, 0, `after ${JSON.stringify(base.slice(0, 60))}`);
    }
  }
  assert.ok(pair.calls > 10000);
});
