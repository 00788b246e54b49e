import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { analyze } from '../../src/index.js';
import { decodeLine, decodeRange, MAX_LINE_BYTES } from '../../src/read/lines.js';
import { scanInput } from '../../src/read/parallel-scan.js';
import { readFixture } from '../helpers.js';

async function* chunks(...bufs: Buffer[]): AsyncGenerator<Buffer> {
  for (const b of bufs) yield b;
}

/** Every line as the pipeline's scanner cuts and decodes it (no report open is ever claimed). */
async function scan(...bufs: Buffer[]): Promise<{ line: number; text: string; cut: boolean }[]> {
  const out: { line: number; text: string; cut: boolean }[] = [];
  await scanInput(chunks(...bufs), { idle: () => false, line: (line, text, cut) => out.push({ line, text, cut }), skipped: () => {} });
  return out;
}

async function collect(...bufs: Buffer[]): Promise<string[]> {
  return (await scan(...bufs)).map((l) => l.text);
}

test('CRLF, NUL runs and invalid UTF-8 are cleaned, line numbers kept', async () => {
  const lines = await collect(Buffer.from('a\r\nb\0\0\0c\n'), Buffer.from([0xff, 0x41, 0x0a]), Buffer.from('last'));
  assert.deepEqual(lines, ['a', 'bc', '\uFFFDA', 'last']);
});

test('a line split across chunks is joined', async () => {
  assert.deepEqual(await collect(Buffer.from('hel'), Buffer.from('lo\nwor'), Buffer.from('ld\n')), ['hello', 'world']);
});

test('a 5 MB line is read in pieces without crashing, keeping its line number', async () => {
  const big = Buffer.alloc(5 * 1024 * 1024, 0x61);
  const out = (await scan(Buffer.from('x\n'), big, Buffer.from('\ny\n'))).map((l) => ({ line: l.line, cut: l.cut, len: l.text.length }));
  assert.deepEqual(out.map((o) => o.line), [1, 2, 2, 3]);
  assert.equal(out[1].len, MAX_LINE_BYTES);
  assert.equal(out[1].cut, true);
});

test('a gzipped log (detected by magic, not by name) and a CRLF copy give the same OOM kill', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mt-lines-'));
  try {
    const text = readFixture('host-6.18-memcg-v1-oom.dmesg.log');
    writeFileSync(join(dir, 'kern.log.1'), gzipSync(Buffer.from(text)));
    writeFileSync(join(dir, 'crlf.log'), text.replace(/\n/g, '\r\n'));
    const a = await analyze([{ path: join(dir, 'kern.log.1') }, { path: join(dir, 'crlf.log') }], { rules: [] });
    // Both inputs are copies of one record: one incident, the second copy kept as evidence.
    const victims = a.incidents.map((i) => (i.kind === 'oom_kill' ? [i.input, i.victim.pid, i.victim.anonRssKb, i.copies?.map((c) => c.input)] : null));
    assert.deepEqual(victims, [[0, 2822, 65280, [1]]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('decodeRange reads a span as decodeLine reads it cut out: invalid UTF-8, byte order marks, CR, NUL', () => {
  let seed = 11;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  // Bytes that make UTF-8 valid, invalid, overlong or truncated, a BOM's, CR, NUL, LF.
  const pool = [0x00, 0x0a, 0x0d, 0x20, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbb, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
  const buf = Buffer.alloc(64);
  let boms = 0;
  for (let t = 0; t < 200_000; t++) {
    const len = rnd(14);
    for (let i = 0; i < len + 4; i++) buf[i] = rnd(4) === 0 ? rnd(256) : pool[rnd(pool.length)];
    const s = rnd(3);
    if (rnd(8) === 0) buf.set([0xef, 0xbb, 0xbf], s);
    if (buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) boms++;
    assert.equal(decodeRange(buf, s, s + len), decodeLine(buf.subarray(s, s + len)), buf.subarray(s, s + len).toString('hex'));
  }
  assert.ok(boms > 1000);
  assert.equal(decodeRange(Buffer.from('\ufeffa\r'), 0, 5), 'a');
  assert.equal(decodeRange(Buffer.from('x\ufeffa\r'), 1, 6), 'a');
  assert.equal(decodeRange(Buffer.from('a\0b\rc\r'), 0, 6), 'ab c');
});
