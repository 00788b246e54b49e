import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { KERNEL_KINDS } from '../../../src/parse/kernel/registry.js';
import { SCAN_MESSAGE_STARTS, SCAN_NEEDLES } from '../../../src/parse/kernel/markers.js';
import { REAPER_RE } from '../../../src/parse/kernel/oom/lines.js';
import { MarkerScanner } from '../../../src/read/marker-scan.js';
import { parsePrefix } from '../../../src/read/prefix.js';
import { FIXTURES } from '../../helpers.js';

// The fast reader counts a line unread when its bytes hold none of SCAN_NEEDLES and its message
// starts with none of SCAN_MESSAGE_STARTS (while no report is open), so every line that starts a
// report must have one: checked on every fixture line.
const holds = (line: string, msg: string): boolean => SCAN_NEEDLES.some((n) => n.anyCase ? line.toLowerCase().includes(n.text.toLowerCase()) : line.includes(n.text)) ||
  SCAN_MESSAGE_STARTS.some((w) => msg.replace(/^\s+/, '').startsWith(w));

test('every fixture line that starts a report (or is an oom_reaper line) holds a scan needle', () => {
  let starts = 0;
  for (const n of readdirSync(FIXTURES).filter((f) => f !== 'README.md' && statSync(join(FIXTURES, f)).isFile())) {
    for (const line of readFileSync(join(FIXTURES, n), 'latin1').split(/\r?\n/)) {
      const msg = parsePrefix(line).msg;
      if (!KERNEL_KINDS.some((k) => k.start.test(msg)) && !REAPER_RE.test(msg)) continue;
      starts++;
      assert.ok(holds(line, msg), `${n}: "${line}" starts a report without a scan needle`);
    }
  }
  assert.ok(starts > 500, `${starts} start lines checked`);
});

test('each needle is long enough for the word-step scan, and its four windows lie inside it', () => {
  for (const n of SCAN_NEEDLES) assert.ok(n.text.length >= 7 && n.at >= 0 && n.at + 7 <= n.text.length, n.text);
  // A needle too short for the windows is refused, not silently missed.
  assert.throws(() => new MarkerScanner([{ text: 'Oops: ', at: 0 }]), /needs 7 bytes/);
  assert.throws(() => new MarkerScanner([{ text: 'WARNING: ', at: 3 }]), /needs 7 bytes/);
});

test('the scan finds every needle at every alignment and at both ends of the range, and nothing else', () => {
  const scanner = new MarkerScanner();
  for (const n of SCAN_NEEDLES) {
    const forms = n.anyCase ? [n.text, n.text.toUpperCase(), 'SyS' + n.text.slice(3)] : [n.text];
    for (const form of forms) {
      for (let pad = 0; pad < 9; pad++) {
        // In a pooled Buffer at every byte offset: the scan reads 32-bit words of the whole memory.
        const text = 'x'.repeat(pad) + form + ' y';
        for (const shift of [0, 1, 2, 3]) {
          const mem = Buffer.alloc(text.length + 8);
          const buf = mem.subarray(shift, shift + text.length);
          buf.write(text, 'latin1');
          const out: number[] = [];
          scanner.scan(buf, 0, buf.length, out);
          assert.ok(out.includes(pad), `"${form}" at ${pad}, buffer offset ${shift}: ${out}`);
          // Cut off its last byte, it is not found; the range start cuts the first off.
          const cut: number[] = [];
          scanner.scan(buf, 0, pad + form.length - 1, cut);
          assert.ok(!cut.includes(pad), `"${form}" found with its last byte cut`);
          const late: number[] = [];
          scanner.scan(buf, pad + 1, buf.length, late);
          assert.ok(!late.includes(pad), `"${form}" found starting before the range`);
        }
      }
    }
  }
  // Case matters for the others; near misses are not hits.
  const out: number[] = [];
  const miss = Buffer.from('killed process KERNEL PANIC oom_reape BUG:x Oops:- detected stalL sysrq; installed DEBUG;', 'latin1');
  scanner.scan(miss, 0, miss.length, out);
  assert.deepEqual(out, []);
});
