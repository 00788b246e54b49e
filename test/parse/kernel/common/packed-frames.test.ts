import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../../../src/index.js';
import type { StackFrame } from '../../../../src/model/kernel-incidents.js';
import { capDistinctFramesForTest, defineCallTrace, MAX_DISTINCT_FRAMES, packFrames } from '../../../../src/parse/kernel/common/packed-frames.js';
import { FIXTURES } from '../../../helpers.js';

/** An object holding `frames` the way an OOM incident does, packed. */
function packed(frames: StackFrame[]): { before: string; callTrace: StackFrame[] } {
  const o = { before: 'x' } as { before: string; callTrace: StackFrame[]; after?: null };
  defineCallTrace(o, frames);
  o.after = null;
  packFrames(o);
  return o;
}

test('every fixture\'s call traces (x86, arm, old kernels, "?" frames, modules) come back from packing as they were, keys in order', async () => {
  let frames = 0;
  for (const name of readdirSync(FIXTURES).filter((n) => n !== 'README.md' && statSync(join(FIXTURES, n)).isFile())) {
    const a = await analyze([{ path: join(FIXTURES, name) }], { rules: [] });
    for (const inc of a.incidents) {
      if (!('callTrace' in inc) || !Array.isArray(inc.callTrace)) continue;
      const json = JSON.stringify(inc.callTrace);
      const copy = JSON.parse(json) as StackFrame[];
      const o = packed(copy);
      assert.equal(JSON.stringify(o.callTrace), json, `${name} line ${inc.line}`);
      assert.deepEqual(o.callTrace, JSON.parse(json));
      assert.deepEqual(Object.keys(o), ['before', 'callTrace', 'after']);
      frames += copy.length;
    }
  }
  assert.ok(frames > 1000, `frames seen: ${frames}`);
});

test('packing keeps null apart from "null", and leaves alone what it cannot restore exactly', () => {
  const f = (x: Partial<StackFrame> & Record<string, unknown>): StackFrame => ({ fn: 'f', offset: null, module: null, unreliable: false, line: 1, ...x }) as StackFrame;
  const both = [f({ offset: null }), f({ offset: 'null', line: 2 }), f({ module: 'null', unreliable: true, line: 3 })];
  assert.deepEqual(packed(both.map((x) => ({ ...x }))).callTrace, both);
  // Frames are told apart by every field: null from "", and a string that looks like two fields.
  const near = [f({ offset: '', module: null }), f({ offset: null, module: '', line: 2 }), f({ offset: 'x', line: 4 }), f({ fn: 'g', offset: '', line: 5 }), f({ fn: 'g', module: '', line: 6 })];
  const p = packed(near.map((x) => ({ ...x })));
  assert.notEqual(p.callTrace, p.callTrace, 'packed');
  assert.deepEqual(p.callTrace, near);
  // Fields are compared one by one, never joined: a "\n" in a name is just a character.
  const nl = [f({ fn: 'f\nsx', line: 3 }), f({ fn: 'f', offset: 'sx', line: 4 })];
  const q = packed(nl.map((x) => ({ ...x })));
  assert.notEqual(q.callTrace, q.callTrace, 'packed');
  assert.deepEqual(q.callTrace, nl);
  for (const odd of [[f({}), f({ line: 2 ** 32 })], [f({}), f({ line: 1.5 })], [f({}), { ...f({}), extra: 1 } as StackFrame], [f({}), { line: 3, fn: 'g', offset: null, module: null, unreliable: false }]]) {
    const o = packed(odd);
    assert.equal(o.callTrace, odd, 'kept as it is (the same array)');
  }
  assert.deepEqual(packed([]).callTrace, []);
  // A trace set after packing is kept as set.
  const o = packed([f({})]);
  const later = [f({ fn: 'later' })];
  o.callTrace = later;
  assert.equal(o.callTrace, later);
});

test('an OOM incident holds its call trace packed: JSON and rules see the frames', async () => {
  const a = await analyze([{ path: join(FIXTURES, 'host-6.18-memcg-v1-oom.dmesg.log') }], { rules: [] });
  const inc = a.incidents.find((i) => i.kind === 'oom_kill')!;
  assert.ok('callTrace' in inc && inc.callTrace.length >= 10);
  const desc = Object.getOwnPropertyDescriptor(inc, 'callTrace')!;
  assert.equal(typeof desc.get, 'function', 'an accessor over the packed frames');
  assert.notEqual(inc.callTrace, inc.callTrace, 'a fresh array each read: it was packed');
  assert.equal(inc.callTrace[0].fn, 'dump_stack_lvl');
  assert.deepEqual(Object.keys(inc).slice(Object.keys(inc).indexOf('memcgInfo'), Object.keys(inc).indexOf('memcgInfo') + 3), ['memcgInfo', 'callTrace', 'hardware']);
});

test('the frame table is capped: once full, a trace with a new frame stays as parsed, and known frames still pack', () => {
  const f = (fn: string, line: number): StackFrame => ({ fn, offset: '0x1/0x2', module: null, unreliable: false, line });
  const known = packed([f('capped_known', 1)]); // in the table now
  assert.notEqual(known.callTrace, known.callTrace, 'packed');
  capDistinctFramesForTest(0); // full from now on
  try {
    const fresh = [f('capped_never_seen', 5)];
    const o = packed(fresh);
    assert.equal(o.callTrace, fresh, 'kept as it is (the same array)');
    const again = packed([f('capped_known', 7)]);
    assert.notEqual(again.callTrace, again.callTrace, 'a trace of known frames still packs');
    assert.deepEqual(again.callTrace, [f('capped_known', 7)]);
  } finally {
    capDistinctFramesForTest(MAX_DISTINCT_FRAMES);
  }
});

test('one function name keeps at most 64 variants (offset, module, "?"): a trace with a new one past that stays as parsed', () => {
  const f = (offset: string, line: number): StackFrame => ({ fn: 'variant_heavy_fn', offset, module: null, unreliable: false, line });
  for (let i = 0; i < 64; i++) {
    const o = packed([f(`0x${i.toString(16)}/0x100`, i)]);
    assert.notEqual(o.callTrace, o.callTrace, `variant ${i} packed`);
  }
  const fresh = [f('0x7ff/0x800', 99)];
  assert.equal(packed(fresh).callTrace, fresh, 'the 65th variant: kept as it is');
  const known = packed([f('0x3/0x100', 5), f('0x3f/0x100', 6)]);
  assert.notEqual(known.callTrace, known.callTrace, 'known variants still pack');
  assert.deepEqual(known.callTrace, [f('0x3/0x100', 5), f('0x3f/0x100', 6)]);
});
