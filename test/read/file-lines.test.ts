import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileLines } from '../../src/read/file-lines.js';

// The main thread's reader of the lines it decodes (read/file-lines.ts): lines a worker attached
// to its message are served from those bytes, every other line from the file, in file order.
const text = (r: FileLines): string => r.buf.toString('latin1', r.s, r.e);

test('attached lines are read from the attachment, the others from the file, across windows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memtriage-file-lines-'));
  try {
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`);
    const file = join(dir, 'f.log');
    writeFileSync(file, lines.join('\n') + '\n');
    const fd = openSync(file, 'r');
    try {
      const starts: number[] = [];
      let p = 0;
      for (const l of lines) { starts.push(p); p += l.length + 1; }
      const r = new FileLines(fd, p);
      // Lines 10–11 and 2000 attached in upper case (a worker copies them as they are; the case
      // here proves where a line was read from).
      const up = (i: number): string => lines[i].toUpperCase();
      const a = Buffer.from(`${up(10)}\n${up(11)}\n${up(2000)}\n`, 'latin1');
      r.attach(new Float64Array([starts[10], starts[12], 0, starts[2000], starts[2001], starts[12] - starts[10]]), a);
      const got: string[] = [];
      for (const i of [5, 10, 11, 12, 1999, 2000, 2001, 2999]) {
        assert.equal(r.read(starts[i]), i + 1 < lines.length ? starts[i + 1] : p, `end of line ${i}`);
        got.push(text(r));
      }
      assert.deepEqual(got, [lines[5], up(10), up(11), lines[12], lines[1999], up(2000), lines[2001], lines[2999]]);
    } finally {
      closeSync(fd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
