import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unfold } from '../../src/read/unfold.js';
import { readFixture } from '../helpers.js';

test('seed 003: one physical line holds the whole OOM report; it is split at every syslog prefix', () => {
  const line = readFixture('seed003-4.9-oom-folded-one-line.log').split('\n')[0];
  const parts = unfold(line);
  assert.equal(parts.length, 68); // grep -o "<host> kernel: \\[" counts 68 prefixes
  assert.ok(parts.every((p) => p.startsWith('Jan 4 10:04:40 <host> kernel: [53542.9')));
  assert.match(parts[0], /tor invoked oom-killer/);
  assert.match(parts[parts.length - 1], /oom_reaper: reaped process 1439 \(tor\)/);
});

test('an ordinary long line is not split', () => {
  const line = readFixture('seed000-4.15-warning-nvme.log').split('\n')[1];
  assert.ok(line.length > 160);
  assert.deepEqual(unfold(line), [line]);
});
