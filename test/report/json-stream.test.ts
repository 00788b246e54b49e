import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderJsonChunks } from '../../src/report/json.js';
import { RULES } from '../../src/rules/index.js';
import { analyzeFixtures } from '../helpers.js';

// Issue 10 item 4: the JSON is written in pieces, byte for byte what one JSON.stringify gave.
const replacer = (key: string, value: unknown): unknown => {
  if (key === 'memInfoReport' && value && typeof value === 'object') {
    const { memInfo: _m, zones: _z, ...rest } = value as Record<string, unknown>;
    return rest;
  }
  return value;
};

test('pieces join to the same text as JSON.stringify(analysis, replacer, 2), one piece per incident or fewer', async () => {
  for (const names of [['seed003-4.9-oom-folded-one-line.log'], ['host-6.18-memcg-v1-oom-multi.dmesg.log', 'host-6.18-meminfo.txt', 'qemu-5.10-hung-task.log'], ['host-6.18-meminfo.txt']]) {
    const a = await analyzeFixtures(names, RULES);
    const pieces = [...renderJsonChunks(a)];
    assert.equal(pieces.join(''), JSON.stringify(a, replacer, 2) + '\n', names.join(' + '));
    assert.ok(pieces.length >= 5);
  }
});

// Elements go out in batches of about 256 KB (one JSON.stringify per batch), the count following
// the size of the last ones: many small elements, then elements bigger than a batch, then small
// ones again, must join to the same text, in pieces that stay near the batch size.
test('batches: many elements, elements bigger than a batch, the same text, pieces near 256 KB', async () => {
  const a = await analyzeFixtures(['host-6.18-memcg-v1-oom-multi.dmesg.log', 'qemu-5.10-hung-task.log'], RULES);
  const small = a.incidents;
  const one = JSON.stringify(small[0], replacer, 2).length;
  const bigCount = Math.ceil((300 << 10) / one);
  // An element bigger than a batch: the findings of the run repeated inside one array element.
  const big = Array.from({ length: bigCount }, () => small[0]);
  const many = { ...a, incidents: [...Array.from({ length: 2000 }, (_, i) => small[i % small.length]), big, big, ...small] } as unknown as typeof a;
  const pieces = [...renderJsonChunks(many)];
  assert.equal(pieces.join(''), JSON.stringify(many, replacer, 2) + '\n');
  const lens = pieces.map((p) => p.length);
  assert.ok(pieces.length >= 8, `${pieces.length} pieces`);
  // No piece holds two of the big elements, and the small ones are batched (not one piece each).
  assert.ok(Math.max(...lens) < 2 * (300 << 10) + 2 * (256 << 10), `largest piece ${Math.max(...lens)}`);
  assert.ok(pieces.length < 2000 / 4, `${pieces.length} pieces for 2,000 small elements`);
});
