import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { rng } from '../../bench/rng.js';
import { analyzeLines } from '../../src/analyze-input.js';
import { LineScanner } from '../../src/read/fast-scan.js';
import { LineStore } from '../../src/read/line-store.js';
import { openInput } from '../../src/read/open.js';
import { FIXTURES } from '../helpers.js';
import { realNoise } from './real-noise.js';

// The fast reader may only skip work, never change a result: every input must give the same
// incidents, problems, input info and evidence lines (LineStore) on every path. The worker path
// (read/parallel-scan.ts) is for regular files, so it is compared on temp files.

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function both(buf: Buffer, size: number): Promise<void> {
  const run = async (fast: boolean) => {
    const store = new LineStore();
    const result = await analyzeLines('input', 0, chunked(buf, size), store, { fast });
    return { result, store };
  };
  assert.deepStrictEqual(await run(true), await run(false), `chunks of ${size} bytes`);
}

const tmp = mkdtempSync(join(tmpdir(), 'memtriage-fast-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** The worker path, with `workers` threads splitting the file, against the full path. */
async function viaWorkers(buf: Buffer, workers: number, name = 'input.log'): Promise<void> {
  const file = join(tmp, name);
  writeFileSync(file, buf);
  const run = async (opts: { fast?: boolean; workers?: number }) => {
    const store = new LineStore();
    const result = await analyzeLines('input', 0, await openInput(file), store, opts);
    return { result, store };
  };
  assert.deepStrictEqual(await run({ workers }), await run({ fast: false }), `${workers} workers`);
}

const fixtures = readdirSync(FIXTURES).filter((n) => statSync(join(FIXTURES, n)).isFile() && !n.endsWith('.md'));

test('every fixture gives the same analysis on the fast and the full path', async () => {
  assert.ok(fixtures.length > 50);
  for (const name of fixtures) {
    const buf = readFileSync(join(FIXTURES, name));
    for (const size of [1 << 20, 61, 7]) await both(buf, size).catch((e: Error) => assert.fail(`${name}: ${e.message}`));
  }
});

test('every fixture gives the same analysis through worker threads as on the full path', async () => {
  // Four at a time: most of the cost is starting worker threads (≈ 40 ms each), not comparing.
  for (let i = 0; i < fixtures.length; i += 4) {
    await Promise.all(fixtures.slice(i, i + 4).map((name) =>
      viaWorkers(readFileSync(join(FIXTURES, name)), 2, name).catch((e: Error) => assert.fail(`${name}: ${e.message}`))));
  }
});

// [lines, prefix]: the journal short-monotonic run (which the fast path must not take for dmesg)
// is the longest, so miscounting it as dmesg would change the input's format.
const STAMPS: [number, (i: number) => string][] = [
  // (1,000 lines of ≈ 70 bytes: the first 64 KiB, which decides the fast path, are all dmesg)
  [1000, (i) => `[${String(1000 + i).padStart(5)}.${String(i % 1e6).padStart(6, '0')}] `],
  [2500, (i) => `[${String(1000 + i).padStart(5)}.${String(i % 1e6).padStart(6, '0')}] vm kernel: `],
  [700, (i) => `[Sat Jun 11 10:${String(i % 60).padStart(2, '0')}:50 ${2016 + (i % 7)}] `], // syslog lines borrow the last year
  [700, (i) => `6,${i},${i * 1000},-;`],
  [700, (i) => `Jun 12 03:24:${String(i % 60).padStart(2, '0')} fil kernel: [63030.${String(i).padStart(6, '0')}] `],
  [700, (i) => `2022-06-12T03:24:${String(i % 60).padStart(2, '0')}+0800 fil kernel: `],
];

// Lines that look skippable but are not: a marker hidden by NUL or CR, folded noise, odd prefixes.
// The kill lines are real (qemu 6.1 console, lines 52-53), one with a NUL in its marker as a
// crashed disk's preallocated file leaves them, one with a CR as a serial console's overwrite does.
const [oomKillLine, killedLine] = readFileSync(join(FIXTURES, 'qemu-6.1-copies-console-dmesg-syslog.log'), 'latin1').split('\n').slice(51, 53);
assert.match(oomKillLine, /\] oom-kill:constraint=/);
assert.match(killedLine, /\] Out of memory: Killed process 103 /);
const TRAPS = [
  oomKillLine.replace('oom-kill', 'oom\0-kill'),
  killedLine.replace('Killed process', 'Killed\rprocess'),
  killedLine,
  `[ 2.000000] usb 1-1: ${'x'.repeat(150)} [ 2.000001] usb 1-2: again [ 2.000002] usb 1-3: and again`,
  `Jun 12 03:24:24 fil kernel: ${'y'.repeat(150)} Jun 12 03:24:25 fil kernel: one Jun 12 03:24:26 fil kernel: two`,
  '[  118.239854] vm kernel: usb 1-1: journal short-monotonic line',
  '[Sat Jun 11 10:21:50 0999] odd year', 'kern  :info  : [  1.2] dmesg -x line', '<6>[ 1.3] dmesg -r line',
  '> [ 1.4] quoted line', 'root@host:~# free -m', 'Mem:  1000 200 800', '\xff\xfe invalid utf-8 [ 1.5] x',
  '2022-06-12T03:24:24.5+08:00 fil kernel: ISO with fraction', 'Jun 12 03:24:24 fil kernel:no space', '',
];

/** added.lines: how many trap and fixture-block lines went in beside the noise. */
function mix(seed: number, maxBlockBytes = Infinity, added = { lines: 0 }): Buffer {
  const r = rng(seed);
  const blocks = fixtures.filter((n) => n.endsWith('.log')).map((n) => readFileSync(join(FIXTURES, n), 'latin1')).filter((b) => b.length <= maxBlockBytes);
  const out: string[] = [];
  let i = 0;
  for (const [n, stamp] of STAMPS) for (const stop = i + n; i < stop; i++) {
    out.push(stamp(i) + realNoise(r) + (r() < 0.05 ? '\r' : ''));
    // Kept out of the first 64 KiB, which must look like a kernel log for the fast path to engage.
    const extra = i > 1000 && r() < 0.01 ? [TRAPS[Math.floor(r() * TRAPS.length)]] : [];
    if (i > 1000 && r() < 0.003) extra.push(blocks[Math.floor(r() * blocks.length)].trimEnd());
    for (const x of extra) added.lines += x.split('\n').length;
    out.push(...extra);
  }
  return Buffer.from(out.join('\n') + '\n', 'latin1');
}

test('kernel noise with fixtures and traps mixed in gives the same analysis on both paths', async () => {
  for (const seed of [1, 2, 3]) {
    const buf = mix(seed);
    for (const size of [1 << 20, 4093]) await both(buf, size);
    for (const workers of [2, 3]) await viaWorkers(buf, workers);
  }
});

test('the fast path does skip marker-free kernel lines (so the test above is not vacuous)', () => {
  let skipped = 0;
  let decoded = 0;
  const scanner = new LineScanner({ idle: () => true, line: () => void decoded++, skipped: (_f, n) => void (skipped += n) });
  // Report blocks of at most 4 KiB, so the counts measure the noise, not how big the fixtures grew.
  const added = { lines: 0 };
  scanner.push(mix(4, 4 << 10, added));
  scanner.end();
  // The short-monotonic run (2500 lines) is decoded by design; the other formats (3800 noise lines)
  // are skipped. The fixture blocks and traps drawn in add to both counts, and which ones are
  // drawn changes whenever a small fixture is added, so the bounds are on the noise: at least 90 %
  // of it skipped, at most 10 % of it decoded besides the short-monotonic run and what was added.
  const otherNoise = STAMPS.reduce((s, [n], i) => s + (i === 1 ? 0 : n), 0);
  assert.ok(skipped > 0.9 * otherNoise && decoded < 2500 + added.lines + 0.1 * otherNoise,
    `skipped ${skipped} (of ${otherNoise} noise lines), decoded ${decoded} (2500 short-monotonic, ${added.lines} added)`);
});

// Runs of blank lines (empty, spaces, tabs) go as one BLANK run while no report is open; the sink
// takes a run whole only while its section batch holds no other line. Put them everywhere: before
// and inside /proc sections and reports, across the section batch (20,000 lines), after a CR.
function blanky(seed: number): Buffer {
  const r = rng(seed);
  const blocks = fixtures.filter((n) => /meminfo|vmstat|slabinfo|oom|hung|\.log$/.test(n)).map((n) => readFileSync(join(FIXTURES, n), 'latin1').split('\n'));
  const blank = (): string => ['', ' ', '\t', '        ', ' \t '][Math.floor(r() * 5)];
  const out: string[] = [];
  for (let b = 0; b < 12; b++) {
    const runs = r() < 0.3 ? 25000 : Math.floor(r() * 40);
    for (let k = 0; k < runs; k++) out.push(blank());
    const block = blocks[Math.floor(r() * blocks.length)];
    for (const line of block) {
      out.push(line);
      if (r() < 0.02) for (let k = Math.floor(r() * 5); k > 0; k--) out.push(blank());
    }
    if (r() < 0.2) out.push('\r');
  }
  return Buffer.from(out.join('\n') + '\n', 'latin1');
}

test('runs of blank lines around and inside sections and reports give the same analysis on every path', async () => {
  for (const seed of [5, 6, 7, 8]) {
    const buf = blanky(seed);
    for (const size of [1 << 20, 4093]) await both(buf, size);
    await viaWorkers(buf, 2);
  }
});

test('a run of blank lines is taken whole when nothing waits in the section batch (so the test above is not vacuous)', () => {
  const text = '\n'.repeat(100001) + ' \t \n'.repeat(50) + 'MemTotal:       1000 kB\n' + '\n'.repeat(10);
  // At each alignment of the buffer in memory (an older scan read aligned 32-bit words).
  for (const shift of [0, 1, 2, 3]) {
    const runs: number[] = [];
    const lines: number[] = [];
    const scanner = new LineScanner({ idle: () => true, line: (l) => void lines.push(l), skipped: () => undefined, blanks: (_l, n) => (runs.push(n), 0) });
    const mem = Buffer.alloc(text.length + 4);
    scanner.push(mem.subarray(shift, shift + mem.write(text, shift, 'latin1')));
    scanner.end();
    assert.deepEqual([runs.reduce((a, b) => a + b, 0), lines, scanner.lastLine], [100061, [100052], 100062], `offset ${shift}`);
  }
});

// Lines the parser remembers while no report is open, which a counted line after them would not
// make it forget: task-table rows (a report opening right after takes them back, not after an
// unrelated line) and a prefix with an empty message (its message wrapped onto the next line).
// Both differed between the paths before the classifier decoded the line after them.
// Real lines only: a task table's header and one row, then the victim's kill line (qemu 6.1 console,
// fixture qemu-6.1-copies-console-dmesg-syslog.log), and a timestamp whose message a mail client
// wrapped onto the next lines (qemu-6.1-mail-wrap-fold-s-w72.log), in real boot-line noise.
test('the line after a lone task-table row or an empty-message prefix is decoded: same analysis on every path', async () => {
  const lines = (name: string) => readFileSync(join(FIXTURES, name), 'latin1').split('\n');
  const oom = lines('qemu-6.1-copies-console-dmesg-syslog.log');
  const [header, row, killed] = [oom[46], oom[50], oom[52]];
  const wrapped = lines('qemu-6.1-mail-wrap-fold-s-w72.log').slice(77, 80);
  assert.match(header, /\[  pid  \]/);
  assert.match(row, /\]     0   103 /);
  assert.match(killed, /Killed process 103/);
  assert.match(wrapped[0], /^\[ *\d+\.\d+\] $/);
  const boot = lines('host-6.18-memcg-v1-oom.dmesg.log').slice(0, 4);
  const noise = (i: number): string => boot[i % boot.length];
  const cases: string[][] = [
    [header, row, noise(0), killed],
    [row, '', '   ', killed],
    [...wrapped, killed],
  ];
  for (const c of cases) {
    const all = Array.from({ length: 1500 }, (_, i) => noise(i));
    for (let rep = 0; rep < 3; rep++) all.push(...c, ...Array.from({ length: 300 }, (_, i) => noise(i)));
    const buf = Buffer.from(all.join('\n') + '\n', 'latin1');
    for (const size of [1 << 20, 4093]) await both(buf, size);
    await viaWorkers(buf, 3);
  }
});
