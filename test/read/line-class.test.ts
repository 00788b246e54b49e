import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DECODE, LineClassifier, RUN_FIELDS } from '../../src/read/line-class.js';
import { fixturePath } from '../helpers.js';

/** The run kind each line gets when classified alone (a fresh classifier: no leading line before it). */
function kindOf(line: string): number {
  const out: number[] = [];
  new LineClassifier().classify(Buffer.from(line + '\n', 'latin1'), 0, line.length + 1, 0, out);
  assert.equal(out.length, RUN_FIELDS, line);
  return out[0];
}

const lineOf = (fixture: string, re: RegExp): string => {
  const l = readFileSync(fixturePath(fixture), 'latin1').split('\n').find((x) => re.test(x));
  assert.ok(l, `${fixture}: ${re}`);
  return l;
};

test('boot lines that start with a zone name are counted, not decoded as report tails', () => {
  for (const re of [/\] DMA: preallocated/, /\]   DMA      \[mem/, /\]   DMA32    \[mem/]) {
    const line = lineOf('qemu-6.1-copies-console-dmesg-syslog.log', re);
    assert.notEqual(kindOf(line), DECODE, line);
  }
});

test('zone buddy lines and the other OOM report tails are decoded: a paste may start with them', () => {
  for (const [fixture, re] of [
    ['qemu-2.6.32-global-oom.log', /\] DMA: \d+\*4kB/], ['qemu-2.6.32-global-oom.log', /\] DMA32: \d+\*4kB/],
    ['qemu-6.1-copies-console-dmesg-syslog.log', /^\[[ \d.]+\] Node 0 DMA32: \d/], ['qemu-6.1-copies-console-dmesg-syslog.log', /^\[[ \d.]+\] Node 0 DMA free:/],
    ['qemu-6.1-copies-console-dmesg-syslog.log', /^\[[ \d.]+\] lowmem_reserve/], ['qemu-6.1-copies-console-dmesg-syslog.log', /^\[[ \d.]+\] \d+ pages RAM/],
    ['qemu-6.1-copies-console-dmesg-syslog.log', /^\[[ \d.]+\] \[ +\d+\] +\d/], ['qemu-6.1-copies-console-dmesg-syslog.log', /^\[[ \d.]+\] Tasks state/],
  ] as const) {
    const line = lineOf(fixture, re);
    assert.equal(kindOf(line), DECODE, line);
  }
});

test('a message that starts with "BUG: " or "Oops: " is decoded (too short for the byte scan, checked where the message starts)', () => {
  for (const fixture of ['qemu-6.1-oops-null-deref.log', 'qemu-6.1-oops-null-deref.dmesg-T.log']) {
    for (const re of [/\] BUG: kernel NULL pointer/, /\] Oops: 0002 /]) {
      const line = lineOf(fixture, re);
      assert.equal(kindOf(line), DECODE, line);
    }
  }
  // Its neighbours in the same report are countable (no report is open for a fresh classifier).
  assert.notEqual(kindOf(lineOf('qemu-6.1-oops-null-deref.log', /\] #PF: supervisor write access/)), DECODE);
});
