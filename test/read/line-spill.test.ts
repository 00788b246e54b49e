import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { analyze } from '../../src/index.js';
import { LineStore } from '../../src/read/line-store.js';
import { RULES } from '../../src/rules/index.js';
import { FIXTURES, fixturePath, seedPath } from '../helpers.js';

// Issue 10 item 4 (bounded memory): past a threshold the kept lines go to a temp file. The
// analysis must be the same whichever way they are kept.
const inputs = [
  ...readdirSync(FIXTURES).filter((n) => /\.(log|txt)$/.test(n) && n !== 'README.md').map((n) => [fixturePath(n)]),
  ...['000', '001', '002', '003', '004'].map((s) => seedPath(s)).filter((p): p is string => p != null).map((p) => [p]),
  [fixturePath('host-6.18-memcg-v1-oom.dmesg.log'), fixturePath('host-6.18-meminfo.txt'), fixturePath('seed003-4.9-oom-folded-one-line.log')],
];

test('every fixture and seed: the same findings and evidence with lines spilled to a file from the first one', async () => {
  for (const paths of inputs) {
    const sources = paths.map((path) => ({ path }));
    const mem = await analyze(sources, { rules: RULES });
    const spilled = await analyze(sources, { rules: RULES, spillLinesAfter: 0 });
    assert.deepEqual(spilled.findings, mem.findings, paths.join(' + '));
    assert.equal(spilled.verdict, mem.verdict);
  }
});

test('LineStore: pieces of one line, lines out of order, several inputs, before and after spilling', () => {
  for (const after of [0, 3, 1000]) {
    const s = new LineStore(after);
    s.add(0, 10, 'ten');
    s.add(0, 5, 'five a');
    s.add(0, 5, 'five b');
    s.add(0, 5, 'five a');
    s.add(1, 5, 'other input');
    s.add(0, 2, 'two');
    assert.equal(s.get(0, 5), 'five a', `after ${after}`);
    assert.equal(s.get(0, 5, ' b'), 'five b');
    assert.equal(s.get(0, 5, 'zzz'), 'five a');
    assert.equal(s.get(1, 5), 'other input');
    assert.equal(s.get(0, 2), 'two');
    assert.equal(s.get(0, 10), 'ten');
    assert.equal(s.get(0, 11), null);
    assert.equal(s.get(2, 5), null);
    s.add(0, 1, 'ünïcode 内存 after a lookup');
    assert.equal(s.get(0, 1), 'ünïcode 内存 after a lookup');
    assert.equal(s.get(0, 10), 'ten');
    s.close();
  }
});

test('LineStore: a line of many pieces (a folded paste) after spilling: needle lookups, repeats dropped', () => {
  const s = new LineStore(0);
  for (let i = 0; i < 10_000; i++) s.add(0, 1, `piece ${i}`);
  s.add(0, 1, 'piece 5');
  s.add(0, 2, 'next line');
  s.add(0, 1, 'piece 10000 added later');
  assert.equal(s.get(0, 1), 'piece 0');
  assert.equal(s.get(0, 1, 'piece 9999'), 'piece 9999');
  assert.equal(s.get(0, 1, 'added later'), 'piece 10000 added later');
  assert.equal(s.get(0, 1, 'absent'), 'piece 0');
  assert.equal(s.get(0, 2), 'next line');
  s.close();
});

// The spill index keeps per record only its length, and per run of consecutive lines its first
// key: runs added out of order (section lines kept after later report lines), overlapping runs
// (the first record of a line wins), lengths past 16 bits and offsets past a checkpoint.
test('LineSpill index: runs in and out of order, overlaps, long lines, lookups between adds, against a Map', () => {
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  for (const shuffled of [false, true]) {
    const s = new LineStore(0);
    const want = new Map<string, string>();
    let line = 1;
    for (let run = 0; run < 400; run++) {
      const len = 1 + rnd(90);
      const input = rnd(3) === 0 ? 1 : 0;
      const from = shuffled ? 1 + rnd(5000) : line;
      for (let k = 0; k < len; k++) {
        const l = from + k;
        const text = rnd(200) === 0 ? `long ${run}:${k} ` + 'x'.repeat(70_000 + rnd(1000)) : `run ${run} line ${l} ${'é'.repeat(rnd(4))}`;
        s.add(input, l, text);
        if (!want.has(`${input}:${l}`)) want.set(`${input}:${l}`, text);
      }
      line = from + len + rnd(3);
      if (run % 50 === 0) {
        for (const [k, t] of want) {
          const [i, l] = k.split(':').map(Number);
          assert.equal(s.get(i, l), t, `${shuffled ? 'shuffled' : 'in order'}, run ${run}, line ${k}`);
        }
      }
    }
    for (const [k, t] of want) {
      const [i, l] = k.split(':').map(Number);
      assert.equal(s.get(i, l), t, `${shuffled ? 'shuffled' : 'in order'}: line ${k}`);
    }
    assert.equal(s.get(0, 9_999_999), null);
    assert.equal(s.get(2, 1), null);
    s.close();
  }
});

test('LineSpill index: a run that grows after a lookup (out of order) is found whole', () => {
  const s = new LineStore(0);
  s.add(0, 10, 'ten');
  s.add(0, 5, 'five');
  assert.equal(s.get(0, 5), 'five');
  s.add(0, 6, 'six');
  assert.equal(s.get(0, 6), 'six');
  assert.equal(s.get(0, 10), 'ten');
  s.close();
});

// Texts are encoded into a 1 MiB buffer as they come; one that might not fit (3 bytes a UTF-16
// unit) flushes it first, and one longer than the buffer can hold is written on its own.
test('LineSpill buffer: texts at and past the buffer\'s limit, multi-byte and surrogate pairs, read back whole', () => {
  const s = new LineStore(0);
  const limit = Math.floor((1 << 20) / 3);
  const texts = ['a', 'é'.repeat(limit), 'x'.repeat(limit + 1), 'b', '😀'.repeat(limit), 'y'.repeat(3 << 20), 'é€😀', 'x'.repeat(limit - 1) + 'é', 'last'];
  texts.forEach((t, i) => s.add(0, i + 1, t));
  texts.forEach((t, i) => assert.equal(s.get(0, i + 1), t, `line ${i + 1}`));
  // Lookups flush what is buffered: lines added after one are found too.
  s.add(0, 20, 'after');
  s.add(0, 21, '€'.repeat(limit));
  assert.equal(s.get(0, 21), '€'.repeat(limit));
  assert.equal(s.get(0, 20), 'after');
  assert.equal(s.get(0, 5), texts[4]);
  s.close();
});

// Lookups are served from the window of the file read last (64 KiB from 4 KiB before the line):
// lines just inside and just outside its ends, backwards and forwards, lines added (and so
// appended to the file) after the window was read, and a line longer than the window.
test('LineSpill read window: lines at and past its edges, backwards, after later adds, longer than it', () => {
  const s = new LineStore(0);
  const want: string[] = [''];
  const add = (t: string) => { want.push(t); s.add(0, want.length - 1, t); };
  for (let l = 1; l <= 4000; l++) add(`line ${l} ${'abcdefghij'.repeat(l % 13)}${l % 7 === 0 ? ' é😀' : ''}`);
  const check = (l: number) => assert.equal(s.get(0, l), want[l], `line ${l}`);
  for (let l = 1; l <= 4000; l++) check(l); // forwards: every window edge is crossed
  for (let l = 4000; l >= 1; l--) check(l); // backwards: each miss reads from 4 KiB before
  for (const l of [2000, 1, 4000, 1999, 2001, 3, 3999, 2000]) check(l);
  check(4000);
  add('appended after the window reached the end of the file');
  add('y'.repeat(200_000));
  add('after the long one');
  for (const l of [4001, 4000, 4002, 4003, 3998, 4001]) check(l);
  s.close();
});
