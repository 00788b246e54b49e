import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeLines } from '../../src/analyze-input.js';
import { KernelLineAssembler } from '../../src/read/kernel-lines.js';
import { LineStore } from '../../src/read/line-store.js';
import { FIXTURES } from '../helpers.js';

// A line from a countable run (run-feeder.ts `plain`) decoded while a report is open is pushed
// without the start-marker test (kernel-lines.ts markerFree). That holds only for a line read as
// its bytes were: an rsyslog escape ("#011", a tab) before "BUG: " hides the error kind's start
// from the classifier, and the unescaped message starts a report all the same.

const oom = readFileSync(join(FIXTURES, 'host-6.18-memcg-v1-oom-multi.dmesg.log'), 'utf8').split('\n');
const bug = readFileSync(join(FIXTURES, 'qemu-6.1-oops-null-deref.dmesg.log'), 'utf8').split('\n')[4];

async function analysis(text: string, fast: boolean) {
  async function* one(): AsyncGenerator<Buffer> { yield Buffer.from(text); }
  const store = new LineStore();
  const result = await analyzeLines('input', 0, one(), store, { fast });
  return { result, store };
}

test('the assembler marks a plain line marker-free only when it was read unchanged', () => {
  const asm = new KernelLineAssembler(0);
  const line = oom[20]; // a call-trace line of the open report
  const got = asm.assemble(21, line, true);
  assert.equal(asm.markerFree, got[0]);
  asm.assemble(21, line, false);
  assert.equal(asm.markerFree, null, 'not from a countable run');
  asm.assemble(22, bug.replace('] BUG: ', '] #011BUG: '), true);
  assert.equal(asm.markerFree, null, 'an rsyslog escape made a tab');
  asm.assemble(23, line.replace('] ', '] \x1b[1m'), true);
  assert.equal(asm.markerFree, null, 'a colour code taken out');
  assert.equal(new KernelLineAssembler(0, { fast: false }).assemble(21, line, true).length, 1);
});

test('an escaped report start inside an open report starts its report on the fast path too', async () => {
  assert.match(bug, /^\[ *[\d.]+\] BUG: kernel NULL pointer dereference/);
  const lines = [...oom.slice(3, 40), bug.replace('] BUG: ', '] #011BUG: '), ...oom.slice(40)];
  const text = lines.join('\n');
  const ref = await analysis(text, false);
  assert.ok(ref.result.incidents.some((i) => i.kind !== 'oom_kill'), 'the reference path reads the escaped start');
  assert.deepStrictEqual(await analysis(text, true), ref);
});
