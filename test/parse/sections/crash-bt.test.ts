import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crashBt } from '../../../src/parse/sections/crash-bt.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('seed 004 bt of the mutex owner: ps pid 24156 stuck allocating', () => {
  const { incident: b, problems } = only(crashBt, 'seed004-3.10-crash-bt-ps-owner.txt', 'crash_bt');
  assert.deepEqual([b.pid, b.task, b.cpu, b.comm, b.command], [24156, 'ffff88000f04e400', 2, 'ps', 'bt 0xffff88000f04e400']);
  const fns = b.frames.map((f) => f.fn);
  assert.ok(fns.includes('wait_iff_congested') && fns.includes('__alloc_pages_nodemask'));
  assert.equal(b.frames.length, 18);
  assert.deepEqual(b.frames[4], { index: 4, stackAddr: 'ffff880006259938', fn: '__alloc_pages_nodemask', pc: 'ffffffff8111d8b8',
    offset: null, module: null, unreliable: false, line: 13 });
  assert.deepEqual(b.exceptionRips, [{ symbol: 'filldir+99', line: 29 }]);
  assert.deepEqual([b.line, b.endLine], [1, 69]);
  assert.deepEqual(problems, []);
});

test('seed 004 bt of a waiting top: mutex_lock under lookup_slow', () => {
  const { incident: b } = only(crashBt, 'seed004-3.10-crash-bt-top.txt', 'crash_bt');
  assert.deepEqual([b.pid, b.comm], [28627, 'top']);
  assert.deepEqual(b.frames.slice(2, 5).map((f) => f.fn), ['__mutex_lock_slowpath', 'mutex_lock', 'lookup_slow']);
});

test('silent on task -R (task header without frames) and kernel logs; garbage', () => {
  assertSilent(crashBt, ['seed004-3.10-crash-sched-info.txt', 'seed004-3.10-crash-ps-oldest-un-top.txt', 'seed002-4.9-sysrq-w-arm.log']);
  assertSurvivesGarbage(crashBt, 'seed004-3.10-crash-bt-top.txt');
});
