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
