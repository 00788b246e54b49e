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
