import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byteProgress } from '../../src/cli/progress.js';
import type { CliIO } from '../../src/cli/command.js';

// Issue 10 item 6: progress on a terminal after the first second, never on a pipe.
function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { s: { isTTY, write: (x: string) => (writes.push(x), true) } as unknown as CliIO['stderr'], writes };
}

test('on a TTY: silent for the first second, then bytes of total and the rate; erased at the end', () => {
  let now = 0;
  const { s, writes } = stream(true);
  const p = byteProgress(s, () => now);
  now = 999;
  p.update('kern.log', 100 << 20, 1024 << 20);
  assert.deepEqual(writes, [], 'nothing before one second');
  now = 1000;
  p.update('kern.log', 250 << 20, 1000 << 20);
  assert.equal(writes.length, 1);
  assert.match(writes[0], /^\r\x1b\[Kreading kern\.log: 250 of 1000 MiB \(25 %\), 250 MiB\/s$/);
  now = 1100;
  p.update('kern.log', 260 << 20, 1000 << 20);
  assert.equal(writes.length, 1, 'redrawn at most every 200 ms');
  now = 2000;
  p.update('-', 300 << 20, null);
  assert.match(writes[1], /reading -: 300 MiB, 150 MiB\/s$/);
  p.done();
  assert.equal(writes[2], '\r\x1b[K');
});

test('on a pipe or file: never a byte', () => {
  let now = 0;
  const { s, writes } = stream(false);
  const p = byteProgress(s, () => now);
  for (now = 0; now < 10_000; now += 250) p.update('kern.log', now << 20, 1 << 30);
  p.done();
  assert.deepEqual(writes, []);
});
