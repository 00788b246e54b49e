import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bySize, holder } from '../../src/accounting/types.js';

/** What bySize promises: the same order as a stable sort, largest first, ties in input order. */
const reference = (kbs: number[]): number[] => kbs.map((kb, i) => ({ kb, i })).sort((a, b) => b.kb - a.kb).map((x) => x.i);

test('bySize: largest first, ties in input order, the input left as it was', () => {
  const cases = [[], [5], [1, 2], [2, 1], [3, 3, 3], [1, 5, 5, 2, 5, 0], [0, -1, 7, 7, -0, 0, 12, 1e15], [4, 3, 2, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]];
  for (const kbs of cases) {
    const hs = kbs.map((kb, i) => holder(`h${i}`, `holder ${i}`, kb, 'x'));
    const before = [...hs];
    const out = bySize(hs);
    assert.deepEqual(out.map((h) => Number(h.id.slice(1))), reference(kbs), kbs.join());
    assert.deepEqual(hs, before, 'not sorted in place');
    assert.notEqual(out, hs);
  }
  // Not a finite number (no parser makes one): the general sort's order, whatever it is.
  const odd = [3, NaN, 1, Infinity].map((kb, i) => holder(`h${i}`, 'x', kb, 'x'));
  assert.deepEqual(bySize(odd).map((h) => h.id), [...odd].sort((a, b) => b.kb - a.kb).map((h) => h.id));
  // An input where that order is not the insertion sort's: kb [1, 2, NaN, 3]. The insertion sort
  // would move 2 before 1 and stop at NaN (nothing passes it: every comparison with NaN is
  // false), giving h1 h0 h2 h3. The general sort (V8's TimSort, a binary insertion sort at this
  // size) reads a falling run of two (2 is larger than 1) and reverses it to 2 1; NaN's compare
  // is NaN, taken as 0 (equal), so NaN stays where the search ends, after 1; 3 is compared with 1
  // and then 2, both smaller, and goes first: 3 2 1 NaN, h3 h1 h0 h2.
  const barrier = [1, 2, NaN, 3].map((kb, i) => holder(`h${i}`, 'x', kb, 'x'));
  assert.deepEqual(bySize(barrier).map((h) => h.id), ['h3', 'h1', 'h0', 'h2']);
  assert.deepEqual(barrier.map((h) => h.id), ['h0', 'h1', 'h2', 'h3'], 'not sorted in place');
});
