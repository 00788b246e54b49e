import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { rng } from '../../bench/rng.js';
import { analyzeLines } from '../../src/analyze-input.js';
import { copies } from '../../src/read/blank-lines.js';
import { LineScanner } from '../../src/read/fast-scan.js';
import { headLooksFast } from '../../src/read/head-check.js';
import { LineStore } from '../../src/read/line-store.js';
import { fixturePath } from '../helpers.js';

// Runs of blank lines are counted, not walked line by line: copies of one blank line by memcmp
// (blank-lines.ts copies()), and a run the sink takes whole costs one call (run-feeder.ts). These
// tests hold that path to the line-by-line result: line numbers after long runs, runs across
// chunk boundaries, a last line without \n, CR and tabs inside, a sink that takes a run late.

/** Copies of buf[s, s + len) from s, the slow way. */
function naiveCopies(buf: Buffer, s: number, len: number, e: number): number {
  let k = 1;
  while (s + (k + 1) * len <= e && buf.subarray(s + k * len, s + (k + 1) * len).equals(buf.subarray(s, s + len))) k++;
  return k;
}

test('copies() counts the same copies as a byte-by-byte walk, whatever the run length and where it breaks', () => {
  const r = rng(11);
  // Lengths around the byte-compare start (64 bytes) and the largest memcmp (256 KiB), and past them.
  for (const line of ['\n', ' \n', '\t \t\n', `${' '.repeat(40)}\n`, `${' '.repeat(300)}\n`]) {
    for (const n of [1, 2, 3, 63, 64, 65, 100, 4096, 70000, 300000, 1_000_003]) {
      const body = Buffer.from(line.repeat(n), 'latin1');
      if (body.length > 8 << 20) continue;
      const tail = Buffer.from(['', 'x\n', ' x\n', line.slice(0, -1)][Math.floor(r() * 4)], 'latin1');
      const buf = Buffer.concat([Buffer.from('ab\n'), body, tail]);
      // A break inside the run: one byte changed somewhere in it.
      const broken = Buffer.from(buf);
      const at = 3 + Math.floor(r() * body.length);
      broken[at] = 0x41;
      for (const b of [buf, broken]) {
        assert.equal(copies(b, 3, line.length, b.length), naiveCopies(b, 3, line.length, b.length), `${JSON.stringify(line)} × ${n}`);
      }
      assert.equal(copies(buf, 3, line.length, buf.length), n + (tail.equals(Buffer.from(line, 'latin1')) ? 1 : 0));
    }
  }
});

interface Seen { lines: [number, string][]; taken: [number, number][]; last: number }

/** Feeds text in chunks of `size` bytes to a LineScanner whose sink takes every blank run whole (or as `take` says). */
function scan(text: string, size: number, take: (line: number, n: number) => number = () => 0): Seen {
  const seen: Seen = { lines: [], taken: [], last: 0 };
  const scanner = new LineScanner({
    idle: () => true,
    line: (line, t) => void seen.lines.push([line, t]),
    skipped: () => undefined,
    blanks: (line, n) => {
      const k = take(line, n);
      if (k === 0) seen.taken.push([line, n]);
      return k;
    },
  });
  const buf = Buffer.from(text, 'latin1');
  for (let i = 0; i < buf.length; i += size) scanner.push(buf.subarray(i, i + size));
  scanner.end();
  seen.last = scanner.lastLine;
  return seen;
}

/** Each line number 1..N either handed out once or inside exactly one run taken whole, in order. */
function covered(seen: Seen): number[] {
  const all: number[] = [];
  const events = [...seen.lines.map(([l]) => [l, 1]), ...seen.taken].sort((a, b) => a[0] - b[0]);
  for (const [l, n] of events) for (let k = 0; k < n; k++) all.push(l + k);
  return all;
}

test('lines after long blank runs keep their numbers, whatever the chunk size, and each run is taken in few calls', () => {
  const blank = '\n'.repeat(1_500_000) + '  \t \n'.repeat(200_000) + ' \n'.repeat(3) + '\t\n';
  // CRLF blank lines are blank (decodeLine drops the CR); a CR inside a line is not (decoded: a
  // lone CR becomes a space); the last line has no \n and is blank.
  const text = `first\n${blank}second\n\r\n  \r  \n${' \r\n'.repeat(100_000)}${blank}third\n${'        \n'.repeat(70_000)}    `;
  const lines = text.split('\n');
  const expect = (word: string) => lines.indexOf(word) + 1;
  for (const size of [1 << 20, 65536, 4093, 7]) {
    const seen = scan(text, size);
    const text2 = new Map(seen.lines.map(([l, t]) => [t, l]));
    assert.deepEqual([text2.get('first'), text2.get('second'), text2.get('third')], [expect('first'), expect('second'), expect('third')], `chunks of ${size}`);
    assert.equal(seen.last, lines.length, `line count, chunks of ${size}`);
    assert.deepEqual(covered(seen), Array.from({ length: lines.length }, (_, i) => i + 1), `every line once, chunks of ${size}`);
    // Only the line with a CR inside went through line(), as decodeLine gives it (the CR a space);
    // the CRLF blank lines were in runs taken whole.
    assert.deepEqual(seen.lines.filter(([, t]) => /^ *$/.test(t) && t !== '    ').map(([, t]) => t), ['     '], `CR lines, chunks of ${size}`);
    // The last line (four spaces, no \n) is cut off by end(): it comes through line().
    assert.deepEqual(seen.lines.at(-1), [lines.length, '    ']);
    // Whole runs: a handful per chunk, never a call per line.
    if (size >= 4093) assert.ok(seen.taken.length <= 4 * Math.ceil(text.length / size) + 8, `${seen.taken.length} runs for ${text.length} bytes in chunks of ${size}`);
  }
});

test('an input that ends in a blank run: the line count includes the whole run', () => {
  for (const tail of ['\n'.repeat(300_000), ' \t\n'.repeat(100_000)]) {
    const text = `x\n${tail}`;
    for (const size of [1 << 20, 4093]) {
      const seen = scan(text, size);
      assert.equal(seen.last, text.split('\n').length - 1, `chunks of ${size}`);
      assert.deepEqual(seen.lines, [[1, 'x']]);
    }
  }
});

test('a sink that needs the first k lines of a run one by one gets exactly those, then the rest whole', () => {
  const text = `prose\n${'\n'.repeat(50_000)}${' \n'.repeat(50_000)}end\n`;
  for (const size of [1 << 20, 4093]) {
    let owed = 30_000; // lines the sink wants through line() first, as analyze-input's batch does
    const seen = scan(text, size, (_l, n) => {
      if (owed === 0) return 0;
      const k = Math.min(owed, n);
      owed -= k;
      return k;
    });
    const decoded = seen.lines.filter(([, t]) => t.trim() === '').length;
    assert.equal(decoded, 30_000, `chunks of ${size}`);
    assert.deepEqual(covered(seen), Array.from({ length: 100_002 }, (_, i) => i + 1));
    assert.deepEqual(seen.lines.at(-1), [100_002, 'end']);
  }
});

async function analyzeText(text: string, fast: boolean, size = 1 << 20) {
  const buf = Buffer.from(text, 'latin1');
  async function* chunks() { for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size); }
  const store = new LineStore();
  return { result: await analyzeLines('input', 0, chunks(), store, { fast }), store };
}

test('an OOM report after a million blank lines: its lines shift by exactly the blank lines, on both paths', async () => {
  const oom = readFileSync(fixturePath('host-6.18-memcg-v1-oom.dmesg.log'), 'latin1');
  const alone = await analyzeText(oom, true);
  assert.ok(alone.result.incidents.length > 0);
  // Blank runs before, between (after a prose line, which keeps the section batch busy) and inside.
  const before = '\n'.repeat(1_000_000) + '\t\n'.repeat(1000);
  const text = before + 'some prose\n' + ' \n'.repeat(300_000) + oom;
  const shift = 1_000_000 + 1000 + 1 + 300_000;
  for (const size of [1 << 20, 65521]) {
    const fast = await analyzeText(text, true, size);
    assert.deepEqual(fast.result.incidents.map((i) => i.line), alone.result.incidents.map((i) => i.line + shift), `chunks of ${size}`);
    assert.equal(fast.result.info.lines, shift + oom.split('\n').length - 1);
    assert.deepStrictEqual(fast, await analyzeText(text, false, size), `chunks of ${size}: fast and full path`);
  }
});

test('a /proc section with blank lines around it, then a long run: same analysis on both paths', async () => {
  const meminfo = readFileSync(fixturePath('host-6.18-meminfo.txt'), 'latin1');
  for (const text of [
    `${'\n'.repeat(30_000)}${meminfo}${'\n'.repeat(250_000)}${meminfo}`,
    `${meminfo}\n\n${' '.repeat(8)}\n${'\n'.repeat(45_000)}${meminfo}   \t`,
  ]) {
    for (const size of [1 << 20, 4093]) {
      const fast = await analyzeText(text, true, size);
      assert.equal(fast.result.incidents.length, 2);
      assert.deepStrictEqual(fast, await analyzeText(text, false, size));
    }
  }
});

test('the head decision skips blank runs and judges the lines between them', () => {
  const kernel = readFileSync(fixturePath('host-6.18-memcg-v1-oom.dmesg.log'), 'latin1').split('\n').slice(0, 20).join('\n') + '\n';
  const prose = 'root@host:~# free -m\nsome words\nmore words\n';
  const blanks = (n: number) => '\n'.repeat(n) + ' \t\n'.repeat(n);
  assert.equal(headLooksFast(Buffer.from(blanks(10_000) + kernel, 'latin1')), true, 'kernel lines after 20,000 blank lines (40 KB)');
  assert.equal(headLooksFast(Buffer.from(blanks(10_000) + kernel + '\r\n \r \n' + prose, 'latin1')), false, 'and prose');
  assert.equal(headLooksFast(Buffer.from(kernel + blanks(3) + kernel + blanks(40_000) + prose, 'latin1')), true, 'the prose is past the first 64 KiB');
  assert.equal(headLooksFast(Buffer.from(blanks(50_000), 'latin1')), false, 'nothing but blank lines');
  // Blank runs and CR-only lines between the kernel lines count for nothing (were each counted as
  // a line without a prefix, 20 kernel lines of 40 or of 25 would be too few).
  const lines = kernel.trimEnd().split('\n');
  assert.equal(headLooksFast(Buffer.from(lines.map((l) => `${l}\n${blanks(2)}`).join(''), 'latin1')), true, 'a blank run after each kernel line');
  assert.equal(headLooksFast(Buffer.from(kernel + ' \r\n\r\n\t\r\n \r \n\r\n', 'latin1')), true, 'lines of CRs, spaces and tabs');
});

test('a regular file read on this thread still gives the event loop a turn every 16 chunks', async () => {
  const { FileChunks, YIELD_EVERY, CHUNK_BYTES, openInput } = await import('../../src/read/open.js');
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'mt-turns-'));
  try {
    const file = join(dir, 'blank.log');
    const chunks = 5 * YIELD_EVERY;
    writeFileSync(file, Buffer.alloc(chunks * CHUNK_BYTES, 10));
    const input = await openInput(file);
    assert.ok(input instanceof FileChunks);
    // A chain of setImmediate callbacks advances once per turn of the event loop.
    let turns = 0, on = true;
    const tick = (): void => { if (on) { turns++; setImmediate(tick); } };
    setImmediate(tick);
    let seen = 0, turnsAtStart = -1, turnsAtLast = -1;
    for await (const c of input) {
      if (turnsAtStart < 0) turnsAtStart = turns;
      turnsAtLast = turns; // not after the loop: closing the file waits on the thread pool
      seen += c.length;
    }
    on = false;
    assert.equal(seen, chunks * CHUNK_BYTES);
    assert.ok(turnsAtLast - turnsAtStart >= chunks / YIELD_EVERY - 1, `${turnsAtLast - turnsAtStart} turns while ${chunks} chunks were read`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
