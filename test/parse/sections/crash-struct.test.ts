import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crashStruct } from '../../../src/parse/sections/crash-struct.js';
import { fixtureLines, toLines } from '../../helpers.js';
import { assertSilent, assertSurvivesGarbage, only, sections } from './run-section.js';

test('seed 004 inode.i_mutex: owner and count as flat paths', () => {
  const { incident: s, problems } = only(crashStruct, 'seed004-3.10-crash-mutex.txt', 'crash_struct');
  assert.deepEqual([s.expression, s.address], ['inode.i_mutex', '0xffff88042ec30040']);
  const get = (p: string) => s.fields.find((f) => f.path === p);
  assert.equal(get('i_mutex.owner')?.value, '0xffff88000f04e400');
  assert.equal(get('i_mutex.count.counter')?.number, -124);
  assert.equal(get('i_mutex.wait_list.next')?.value, '0xffff88000da31e80');
  assert.equal(get('i_mutex.wait_lock.rlock.raw_lock.lock')?.number, 0);
  assert.equal(s.partial, false);
  assert.deepEqual([s.line, s.endLine], [1, 43]);
  assert.deepEqual(problems, []);
});

test('seed 004 signal_struct.oom_score_adj_min = -998', () => {
  const found = sections(crashStruct, fixtureLines('seed004-3.10-crash-oom-score-adj-min.txt'));
  assert.equal(found.length, 1);
  const s = found[0].incidents[0];
  assert.ok(s.kind === 'crash_struct');
  assert.deepEqual([s.expression, s.address, s.fields[0].path, s.fields[0].number], [
    'signal_struct.oom_score_adj_min', '0xffff882d0eaa2a80', 'oom_score_adj_min', -998]);
  assert.equal(s.line, 7);
});

test('a struct cut off before its closing brace is partial', () => {
  const lines = fixtureLines('seed004-3.10-crash-mutex.txt').slice(0, 20);
  const r = crashStruct.parse(lines.slice(0, crashStruct.detect(lines, 0)));
  assert.equal(r.incidents[0]?.partial, true);
});

test('silent on commands it does not read; garbage', () => {
  assertSilent(crashStruct, ['seed004-3.10-crash-dis-mutex-lock.txt', 'seed004-3.10-crash-kmem-i.txt', 'seed004-3.10-crash-bt-top.txt']);
  assert.equal(crashStruct.detect(toLines('crash> foo.bar 0xffff\n\nnot a struct'), 0), 0);
  assertSurvivesGarbage(crashStruct, 'seed004-3.10-crash-mutex.txt');
});
