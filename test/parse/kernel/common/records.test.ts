import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordLayout } from '../../../../src/parse/kernel/common/records.js';

/** The record as an object filled key by key would be: what make() must equal, key order included. */
function keyed(keys: string[], values: number[]): Record<string, number> {
  const r: Record<string, number> = {};
  keys.forEach((k, i) => (r[k] = values[i]));
  return r;
}

const KEYS = Array.from({ length: 12 }, (_, i) => `counter${i}Bytes`);

test('RecordLayout: each record as filled key by key, whether its layout is new, the last one again, or changed', () => {
  const layout = new RecordLayout();
  const cases: [string[], number[]][] = [
    [KEYS, KEYS.map((_, i) => i)],
    [KEYS, KEYS.map((_, i) => i * 1e12)], // the same layout again: the template, other values
    [KEYS, KEYS.map(() => 0)],
    [[...KEYS].reverse(), KEYS.map((_, i) => i + 1)], // same keys, another order
    [KEYS.slice(0, 11), KEYS.slice(0, 11).map((_, i) => -i)], // one key fewer
    [[...KEYS, 'extra'], [...KEYS.map(() => 5), 6]], // one more
    [[...KEYS, KEYS[0]], [...KEYS.map(() => 1), 99]], // a key again: first place, last value
    [[...KEYS, KEYS[0]], [...KEYS.map(() => 2), 98]],
    [KEYS.slice(0, 3), [1, 2, 3]], // a few keys
    [KEYS, [...KEYS.slice(1).map(() => 1), Infinity]], // a value JSON cannot carry
    [KEYS, KEYS.map((_, i) => i * 3)],
  ];
  for (const [keys, values] of cases) {
    const r = layout.make(keys, values);
    assert.deepEqual(Object.entries(r), Object.entries(keyed(keys, values)), keys.join());
  }
});

test('RecordLayout: a record changed by its reader does not change the next one', () => {
  const layout = new RecordLayout();
  const first = layout.make(KEYS, KEYS.map(() => 1));
  first.added = 7;
  delete first[KEYS[0]];
  const next = layout.make(KEYS, KEYS.map(() => 2));
  assert.deepEqual(Object.entries(next), Object.entries(keyed(KEYS, KEYS.map(() => 2))));
  const again = layout.make(KEYS, KEYS.map(() => 3));
  assert.deepEqual(Object.keys(again), KEYS);
});
