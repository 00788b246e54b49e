import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedList, shortString } from '../../../../src/parse/kernel/common/shared.js';

test('sharedList: one frozen copy per list of short strings, equal to it; lists that join alike stay apart', () => {
  const a = sharedList(['GFP_KERNEL', '__GFP_COMP']);
  assert.deepEqual(a, ['GFP_KERNEL', '__GFP_COMP']);
  assert.ok(Object.isFrozen(a));
  assert.equal(sharedList(['GFP_KERNEL', '__GFP_COMP'].map((x) => ` ${x}`.slice(1))), a, 'the same copy for an equal list');
  // ["a\nb"] and ["a", "b"] join to the same text: each still gets a list equal to itself.
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(sharedList(['a\nb']), ['a\nb']);
    assert.deepEqual(sharedList(['a', 'b']), ['a', 'b']);
  }
  assert.equal(sharedList([]), null);
  assert.equal(sharedList(['x'.repeat(65)]), null, 'a long string: not shared');
  assert.equal(sharedList(['a', 1]), null);
  assert.equal(sharedList(Array.from({ length: 33 }, () => 'a')), null);
});

test('shortString: a short string by value, a long one as it is', () => {
  assert.equal(shortString('python3'), 'python3');
  const long = 'y'.repeat(100);
  assert.equal(shortString(long), long);
  assert.equal(shortString(null), null);
});
