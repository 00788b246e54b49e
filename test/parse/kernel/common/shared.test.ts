import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { SHARED_CHARS, sharedList, shortString } from '../../../../src/parse/kernel/common/shared.js';
import { REPO_ROOT } from '../../../helpers.js';

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
  // Just inside both limits: 64 characters, 32 items.
  assert.equal(SHARED_CHARS, 64);
  const at64 = sharedList(['x'.repeat(64)]);
  assert.deepEqual(at64, ['x'.repeat(64)]);
  assert.equal(sharedList([` ${'x'.repeat(64)}`.slice(1)]), at64);
  const at32 = sharedList(Array.from({ length: 32 }, () => 'a'));
  assert.deepEqual(at32, Array.from({ length: 32 }, () => 'a'));
  assert.equal(sharedList(Array.from({ length: 32 }, () => 'a')), at32);
});

test('shortString: a short string by value, a long one as it is', () => {
  assert.equal(shortString('python3'), 'python3');
  const long = 'y'.repeat(100);
  assert.equal(shortString(long), long);
  assert.equal(shortString(null), null);
});

// "By value": a short string kept is its own flat copy, not a slice of the big string it was cut
// from (a slice keeps all of that alive). In a fresh node with --expose-gc: 23 and 64 characters
// cut from a 32 MiB string and kept through shortString; the big string dropped, the heap must not
// hold it (a few MiB; 34.8 MiB when shortString returns its argument).
const BIG_BYTES = 32 << 20;

test(`shortString: a short string kept does not keep the ${BIG_BYTES >> 20} MiB string it was cut from (23 and ${SHARED_CHARS} characters)`, () => {
  const mod = JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'parse', 'kernel', 'common', 'shared.js')).href);
  const results = [23, SHARED_CHARS].map((len) => {
    const script = `
      const { shortString } = await import(${mod});
      let big = Buffer.alloc(${BIG_BYTES}, 'y').toString('latin1') + 'python3 '.repeat(16);
      const kept = shortString(big.slice(-${len + 1}, -1));
      big = null;
      /z/.exec('z');
      globalThis.gc(); globalThis.gc();
      console.log(JSON.stringify({ kept, heapUsed: process.memoryUsage().heapUsed }));`;
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return { len, ...(JSON.parse(r.stdout) as { kept: string; heapUsed: number }) };
  });
  for (const { len, kept, heapUsed } of results) {
    assert.equal(kept, 'python3 '.repeat(16).slice(-len - 1, -1));
    assert.ok(heapUsed < BIG_BYTES / 4, `${len} characters kept: ${(heapUsed / 2 ** 20).toFixed(1)} MiB in the heap, the ${BIG_BYTES >> 20} MiB string is still kept`);
  }
});
