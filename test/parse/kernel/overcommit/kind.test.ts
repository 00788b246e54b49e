import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../../src/index.js';
import type { Incident } from '../../../../src/model/incident.js';
import { overcommit, type OvercommitRefusalIncident } from '../../../../src/parse/kernel/overcommit/kind.js';
import { analyzeText, fixturePath, readFixture } from '../../../helpers.js';
import { checkKind } from '../kind-case.js';

// Real lines from Debian kernels under qemu (test/fixtures/README.md, "s3-kinds"): `ocmap N` mmaps
// N MiB under vm.overcommit_memory=2 (and 0), and the kernel refuses what passes CommitLimit.
const refusals = (incs: Incident[]): OvercommitRefusalIncident[] => incs.filter((i): i is OvercommitRefusalIncident => i.kind === 'overcommit_refusal');
const read = async (...names: string[]): Promise<Incident[]> => (await analyze(names.map((n) => ({ path: fixturePath(n) })), { rules: [] })).incidents;

test('overcommit: the refusal as 6.12 prints it (with its size) and as 6.1 does ("no enough", no size), and a comm with a space', async () => {
  await checkKind(overcommit, [
    // "[    3.559078] __vm_enough_memory: pid: 142, comm: ocmap, bytes: 314572800 not enough memory for the allocation"
    { fixture: 'qemu-6.12-ocmap-strict.log', line: 1, incidentKind: 'overcommit_refusal', summary: [/ocmap \(pid 142\)/, /300\.0 MiB/], details: [/314572800 bytes/, /ocmap pid 142/] },
    // "[    3.586545] __vm_enough_memory: pid: 94, comm: ocmap, no enough memory for the allocation" (6.1's "no")
    { fixture: 'qemu-6.1-ocmap-strict.log', line: 2, incidentKind: 'overcommit_refusal', summary: [/ocmap \(pid 94\)/, /does not give/] },
    // "__vm_enough_memory: pid: 120, comm: VM Thread, no enough memory for the allocation"
    { fixture: 'qemu-6.1-jvm-overcommit-strict.grow.log', line: 4, incidentKind: 'overcommit_refusal', summary: [/VM Thread \(pid 120\)/] },
  ]);
});

test('overcommit: the fields read off the lines, with the size null where the kernel does not print it', async () => {
  assert.deepEqual(refusals(await read('qemu-6.12-ocmap-strict.log')).map((r) => [r.pid, r.comm, r.sizeBytes, r.uptimeSec, r.line]), [[142, 'ocmap', 314572800, 3.559078, 1]]);
  assert.deepEqual(refusals(await read('qemu-6.12-ocmap.dmesg.log')).map((r) => [r.pid, r.sizeBytes]), [[139, 4294967296], [142, 314572800]]);
  assert.deepEqual(refusals(await read('qemu-6.1-ocmap-strict.log')).map((r) => [r.pid, r.comm, r.sizeBytes, r.uptimeSec]), [[94, 'ocmap', null, 3.586545]]);
  assert.deepEqual(refusals(await read('qemu-6.1-jvm-overcommit-strict.grow.log')).map((r) => [r.pid, r.comm, r.sizeBytes]), [[120, 'VM Thread', null]]);
  // 5.10 refused the same mmap without a word: the program's line is all there is.
  const old = await read('qemu-5.10-ocmap-strict.log');
  assert.deepEqual(refusals(old), []);
  assert.deepEqual(old.map((i) => i.kind), ['enomem_lines']);
});

test('overcommit: the program\'s "Cannot allocate memory" line right after the refusal is its own, not the refusal\'s wrapped rest', async () => {
  // On 6.1 the console printed ocmap's error line right after the 93-byte kernel line: long enough
  // for the mail-wrap check, but the kernel line ends with its fixed tail.
  const incs = await read('qemu-6.1-ocmap-strict.log');
  assert.deepEqual(incs.map((i) => [i.kind, i.line]), [['overcommit_refusal', 2], ['enomem_lines', 3]]);
  assert.equal(refusals(incs)[0].endLine, 2);
});

test('overcommit: the console copy and the dmesg copy of one refusal are one incident, both kept as evidence', async () => {
  const incs = refusals(await read('qemu-6.12-ocmap-strict.log', 'qemu-6.12-ocmap.dmesg.log'));
  assert.deepEqual(incs.map((r) => [r.pid, r.input, r.line]), [[142, 0, 1], [139, 1, 1]]);
  assert.deepEqual(incs[0].copies, [{ input: 1, line: 2, endLine: 2 }]);
  assert.equal(incs[1].copies, undefined);
});

test('overcommit: a refusal line wrapped by a mail client (fold -s -w 72) is joined back and read whole', async () => {
  // "[    3.559078] __vm_enough_memory: pid: 142, comm: ocmap, bytes: " / "314572800 not enough memory for the allocation"
  const wrapped = refusals(await read('qemu-6.12-ocmap.mail-wrap-fold-s-w72.log'));
  assert.deepEqual(wrapped.map((r) => [r.line, r.pid, r.comm, r.sizeBytes, r.partial]), [[1, 139, 'ocmap', 4294967296, false], [3, 142, 'ocmap', 314572800, false]]);
  // 6.1's line wrapped before "memory for the allocation", and ocmap's own line right after the rest
  const incs = await read('qemu-6.1-ocmap-strict.mail-wrap-fold-s-w72.log');
  assert.deepEqual(incs.map((i) => [i.kind, i.line]), [['overcommit_refusal', 2], ['enomem_lines', 4]]);
  assert.deepEqual(refusals(incs).map((r) => [r.pid, r.sizeBytes, r.partial]), [[94, null, false]]);
});

test('overcommit: the head of a wrapped line alone is a partial refusal, its size unknown rather than guessed', async () => {
  const head = readFixture('qemu-6.12-ocmap.mail-wrap-fold-s-w72.log').split('\n')[0];
  assert.equal(head, '[    3.515795] __vm_enough_memory: pid: 139, comm: ocmap, bytes: ');
  const r = refusals((await analyzeText(head)).incidents);
  assert.deepEqual(r.map((x) => [x.pid, x.comm, x.sizeBytes, x.partial]), [[139, 'ocmap', null, true]]);
});

test('overcommit: a storm is rate-limited: 10 lines, then "15 callbacks suppressed" belongs to the next refusal printed', async () => {
  // 25 refused `ocmap 300` in a row, 6 s of sleep, one more (Debian 6.12, dmesg): lines 1-10 are
  // pids 140-149, line 11 "[    9.836941] __vm_enough_memory: 15 callbacks suppressed", line 12 pid 166.
  const incs = refusals(await read('qemu-6.12-ocmap-storm.dmesg.log'));
  assert.equal(incs.length, 11);
  assert.deepEqual(incs.slice(0, 10).map((r) => [r.line, r.pid, r.suppressedBefore]), Array.from({ length: 10 }, (_, i) => [i + 1, 140 + i, undefined]));
  assert.deepEqual([incs[10].line, incs[10].endLine, incs[10].pid, incs[10].sizeBytes, incs[10].suppressedBefore, incs[10].uptimeSec], [11, 12, 166, 314572800, 15, 9.836941]);
  assert.match(overcommit.details(incs[10]).join('\n'), /15 refusals before it were not printed/);
  assert.match(overcommit.summary(incs[10]), /ocmap \(pid 166\) asked for 300\.0 MiB \(15 refusals before it not printed\)/);
  assert.doesNotMatch(overcommit.summary(incs[9]), /not printed/);
});
