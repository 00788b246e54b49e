import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { frameFields, MAX_FRAME_LINES, TraceBuilder } from '../../../../src/parse/kernel/common/call-trace.js';
import { FIXTURES } from '../../../helpers.js';

// TraceBuilder remembers each frame line it read by its message; a message met again must give
// the frame FRAME_RE reads from it (frameFields), with its own line number, every time.

const fixtures = readdirSync(FIXTURES).filter((n) => statSync(join(FIXTURES, n)).isFile() && !n.endsWith('.md') && !/\.(gz|xz|zst|bz2|tar)$/.test(n));

/** Every message candidate of a fixture: its lines, and each line's text after its first "] " (a printk time). */
function messages(name: string): string[] {
  const out: string[] = [];
  for (const t of readFileSync(join(FIXTURES, name), 'utf8').split('\n')) {
    out.push(t);
    const i = t.indexOf('] ');
    if (i !== -1) out.push(t.slice(i + 2));
  }
  return out;
}

test('a frame line read again gives the frame FRAME_RE reads, on every fixture line', () => {
  let frames = 0;
  for (const name of fixtures) {
    const msgs = messages(name);
    for (let pass = 0; pass < 2; pass++) {
      const b = new TraceBuilder();
      const want: unknown[] = [];
      msgs.forEach((m, i) => {
        const f = m.includes('+0x') ? frameFields(m) : null;
        const took = b.add(m, i + 1);
        if (f) {
          assert.ok(took, `${name}: ${m}`);
          want.push({ ...f, line: i + 1 });
        }
        // (ARM "A from B" lines and others FRAME_RE does not read go their own way: not compared)
        else if (took) want.push(...b.frames.slice(want.length));
      });
      assert.deepEqual(b.finish().slice(0, want.length), want, name);
      frames += want.length;
    }
  }
  assert.ok(frames > 2000, `frames: ${frames}`);
});

test('frames of one message are objects of their own, and the remembered lines stay bounded', () => {
  const b = new TraceBuilder();
  // (made-up frames: only their number matters here)
  for (let i = 0; i < MAX_FRAME_LINES * 2 + 5; i++) assert.ok(b.add(` f${i}+0x1/0x2 [m]`, i));
  assert.ok(b.add(' ? f7+0x1/0x2 [m]', 1), 'a frame read before the table was cleared');
  assert.ok(b.add(' f7+0x1/0x2 [m]', 2));
  assert.ok(b.add(' f7+0x1/0x2 [m]', 3));
  const fr = b.finish();
  const [q, x, y] = fr.slice(-3);
  assert.deepEqual(q, { fn: 'f7', offset: '0x1/0x2', module: 'm', unreliable: true, line: 1 });
  assert.deepEqual(x, { fn: 'f7', offset: '0x1/0x2', module: 'm', unreliable: false, line: 2 });
  assert.deepEqual(y, { ...x, line: 3 });
  assert.notEqual(x, y);
  assert.equal(fr[7].fn, 'f7');
  assert.equal(fr[MAX_FRAME_LINES * 2 + 4].fn, `f${MAX_FRAME_LINES * 2 + 4}`);
});

// The bound itself, as memory: a fixture's frame line verbatim with a distinct run of trailing
// blanks (spaces and tabs, which FRAME_RE allows) makes each message new and ≈ 1 KiB, with the
// same fields every time (so only the table of remembered lines can grow). 8 × MAX_FRAME_LINES of
// them in a fresh node with --expose-gc: the table keeps at most MAX_FRAME_LINES (≈ 8 MiB); never
// cleared it would keep them all (≈ 70 MiB).
const PAD_BYTES = 1024;

test(`the remembered frame lines stay bounded in memory (8 × ${MAX_FRAME_LINES} distinct ${PAD_BYTES}-byte lines)`, async () => {
  const { spawnSync } = await import('node:child_process');
  const { pathToFileURL } = await import('node:url');
  const { REPO_ROOT } = await import('../../../helpers.js');
  const raw = readFileSync(join(FIXTURES, 'qemu-3.10-page-alloc-failure-order9-atomic.log'), 'latin1').split(/\r?\n/).find((l) => / \[<[0-9a-f]+>\] \? mtalloc_init\+/.test(l))!;
  const msg = raw.slice(raw.indexOf('] ') + 1);
  const want = frameFields(msg);
  assert.equal(want?.fn, 'mtalloc_init');
  const mod = JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'parse', 'kernel', 'common', 'call-trace.js')).href);
  const script = `
    const { TraceBuilder, MAX_FRAME_LINES } = await import(${mod});
    const msg = ${JSON.stringify(msg)};
    const pad = ' '.repeat(${PAD_BYTES});
    const n = 8 * MAX_FRAME_LINES - 1; // with the first line, the table ends full: the most it holds
    const blanks = (i) => { let s = ''; for (let b = 0; b < 17; b++) s += (i >> b) & 1 ? '\\t' : ' '; return s; };
    let b = new TraceBuilder();
    b.add(msg, 0); b.finish(); b = new TraceBuilder();
    globalThis.gc(); globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    let frames = 0;
    for (let i = 0; i < n; i++) {
      if (i % 64 === 0) { frames += b.finish().length; b = new TraceBuilder(); }
      if (!b.add(msg + blanks(i) + pad, i)) throw new Error('not a frame: ' + i);
    }
    frames += b.finish().length;
    b = null;
    /y/.exec('y');
    globalThis.gc(); globalThis.gc();
    console.log(JSON.stringify({ grew: process.memoryUsage().heapUsed - before, frames, n }));`;
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { grew: number; frames: number; n: number };
  assert.equal(out.frames, out.n); // every line was read as a frame
  const all = out.n * PAD_BYTES;
  assert.ok(out.grew < all / 3, `the heap grew ${(out.grew / 2 ** 20).toFixed(1)} MiB over ${out.n} distinct frame lines (${(all / 2 ** 20).toFixed(0)} MiB of them): the remembered lines are not bounded`);
});
