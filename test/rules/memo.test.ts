import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memo } from '../../src/rules/util/memo.js';

test('memo: each name is looked up once, a null answer kept too', () => {
  const cache = new Map<string, number | null>();
  let calls = 0;
  const find = (v: number | null) => () => { calls++; return v; };
  assert.equal(memo(cache, 'a', find(1)), 1);
  assert.equal(memo(cache, 'a', find(2)), 1, 'the kept answer, not a new lookup');
  assert.equal(memo(cache, 'b', find(null)), null);
  assert.equal(memo(cache, 'b', find(3)), null, 'a null answer is an answer');
  assert.equal(calls, 2);
});

test('memo: the cache stops growing at its cap; answers past it are still right', () => {
  const cache = new Map<string, string | null>();
  let calls = 0;
  const find = (k: string) => () => { calls++; return k.toUpperCase(); };
  for (const k of ['a', 'b']) assert.equal(memo(cache, k, find(k), 2), k.toUpperCase());
  assert.equal(cache.size, 2, 'just below the cap: kept');
  assert.equal(memo(cache, 'c', find('c'), 2), 'C');
  assert.equal(memo(cache, 'c', find('c'), 2), 'C');
  assert.equal(cache.size, 2, 'at the cap: not kept');
  assert.equal(calls, 4, 'past the cap each call looks up again');
});
