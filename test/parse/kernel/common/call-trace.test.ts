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
