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
});
