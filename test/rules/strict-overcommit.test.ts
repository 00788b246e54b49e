import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/index.js';
import type { Incident } from '../../src/model/incident.js';
import { strictOvercommit } from '../../src/rules/strict-overcommit.js';
import type { RuleContext } from '../../src/rules/types.js';
import { fixturePath } from '../helpers.js';
import { evidenceText, only, runRule } from './run-rule.js';

// A 512 MiB 6.1 guest with vm.overcommit_memory=2, ratio 50: a 16 MiB hog, then a hog that stops
// at 196 MiB with "Cannot allocate memory" while 211 MiB were available.
const ALL = ['qemu-6.1-overcommit-strict.sysctl.txt', 'qemu-6.1-overcommit-strict.hog-stderr.txt', 'qemu-6.1-overcommit-strict.meminfo.txt'];

test('fires with the sysctl, the ENOMEM line and the meminfo: mode 2 proven', async () => {
  const f = await only(strictOvercommit, ALL);
  assert.equal(f.title, 'Strict overcommit (vm.overcommit_memory = 2) refused memory to hog: committed 222.3 MiB of a 228.6 MiB limit');
  assert.deepEqual(f.data, { overcommitMemory: 2, overcommitRatio: 50, commitLimitKb: 234084, committedAsKb: 227644, programs: ['hog'], strictFrom: 'sysctl', refusedSizeBytes: [] });
  assert.match(evidenceText(f), /vm\.overcommit_memory = 2/);
  assert.match(evidenceText(f), /hog: malloc: Cannot allocate memory/);
});

test('without the sysctl: "likely", and it says how to tell', async () => {
  const f = await only(strictOvercommit, ALL.slice(1));
  assert.match(f.title, /^Likely strict overcommit refused memory to hog/);
  assert.match(f.explanation, /`sysctl vm\.overcommit_memory` tells for sure/);
});

// Mode 2 alone (no refusal seen), the meminfo alone, the heuristic-mode host, a crash dump at 222 %.
for (const inputs of [[ALL[0]], [ALL[2]], ['host-6.18-meminfo.txt'], ['seed004-3.10-crash-kmem-i.txt'], ['qemu-6.1-global-oom.log']]) {
  test(`silent on ${inputs.join(' + ')}`, async () => {
    assert.deepEqual((await runRule(strictOvercommit, inputs)).findings, []);
  });
}

// A real JVM (Debian's OpenJDK 17.0.21.1) on the same kind of 512 MiB 6.1 guest, vm.overcommit_memory=2,
// ratio 50, a 64 MiB hog holding memory: `java -Xms200m -Xmx200m -version` could not commit its heap,
// and `java -Xmx300m Grow` failed when the heap grew past 48 MiB. The meminfo was taken before java started.
const JVM = ['qemu-6.1-jvm-overcommit-strict.sysctl.txt', 'qemu-6.1-jvm-overcommit-strict.xms.log', 'qemu-6.1-jvm-overcommit-strict.meminfo.txt'];

test('JVM under mode 2: fires on HotSpot\'s os::commit_memory warning, quotes it, and gives the snapshot\'s commit figures as such', async () => {
  const f = await only(strictOvercommit, JVM);
  assert.equal(f.title, 'Strict overcommit (vm.overcommit_memory = 2) refused memory to java');
  // The kernel's 6.1 line names java and no size: "__vm_enough_memory: pid: 117, comm: java, no enough memory for the allocation".
  assert.deepEqual(f.data, { overcommitMemory: 2, overcommitRatio: 50, commitLimitKb: 234076, committedAsKb: 77576, programs: ['java'], strictFrom: 'sysctl', refusedSizeBytes: [null] });
  assert.match(evidenceText(f), /__vm_enough_memory: pid: 117, comm: java, no enough memory/);
  assert.match(evidenceText(f), /os::commit_memory\(0x00000000f7aa0000, 139853824, 0\) failed; error='Not enough space' \(errno=12\)/);
  assert.match(f.explanation, /A JVM commits its initial heap \(-Xms\) at start and each heap expansion in one large step/);
  assert.match(f.explanation, /Committed_AS 77576 kB of CommitLimit 234076 kB \(33\.1 %\).*never added to Committed_AS/);
  assert.doesNotMatch(f.explanation, /the kernel prints nothing/);
});

test('JVM under mode 2, heap growth: the failure after "grow: 48 MiB" fires too', async () => {
  const f = await only(strictOvercommit, [JVM[0], 'qemu-6.1-jvm-overcommit-strict.grow.log']);
  assert.match(evidenceText(f), /os::commit_memory\(0x00000000f6fb2000, 38744064, 0\) failed/);
});

// The same JVM failure in heuristic mode 0 (`java -Xms2g` on 457 MiB: a single request larger than
// RAM + swap is refused in mode 0 too), with its sysctl, and without it (Committed_AS 11468 of 234076 kB).
for (const inputs of [
  ['qemu-6.1-jvm-overcommit-heuristic.sysctl.txt', 'qemu-6.1-jvm-overcommit-heuristic.xms.log', 'qemu-6.1-jvm-overcommit-heuristic.meminfo.txt'],
  ['qemu-6.1-jvm-overcommit-heuristic.xms.log', 'qemu-6.1-jvm-overcommit-heuristic.meminfo.txt'],
  // Mode 2's JVM lines with a snapshot far from the limit and no sysctl: nothing proves mode 2.
  ['qemu-6.1-jvm-overcommit-strict.xms.log', 'qemu-6.1-jvm-overcommit-strict.meminfo.txt'],
]) {
  test(`JVM: silent on ${inputs.join(' + ')}`, async () => {
    assert.deepEqual((await runRule(strictOvercommit, inputs)).findings, []);
  });
}

// Debian 6.12 under qemu (512 MiB, no swap): `ocmap 300` mmap'ed 300 MiB under mode 2 and the
// kernel said "__vm_enough_memory: pid: 142, comm: ocmap, bytes: 314572800 not enough memory for
// the allocation"; in mode 0 `ocmap 4096` got "pid: 139, … bytes: 4294967296 …". MemTotal 474980 kB,
// SwapTotal 0 kB: mode 0 refuses only what is larger than that (mm/util.c), mode 1 nothing.
const OC = ['qemu-6.12-ocmap-strict.sysctl.txt', 'qemu-6.12-ocmap-strict.log', 'qemu-6.12-ocmap-strict.meminfo.txt'];

test('6.12 under mode 2: the kernel\'s refusal line is quoted with its size, beside the sysctl', async () => {
  const f = await only(strictOvercommit, OC);
  assert.equal(f.title, 'Strict overcommit (vm.overcommit_memory = 2) refused memory to ocmap');
  assert.deepEqual(f.data, { overcommitMemory: 2, overcommitRatio: 50, commitLimitKb: 237488, committedAsKb: 3360, programs: ['ocmap'], strictFrom: 'sysctl', refusedSizeBytes: [314572800] });
  assert.match(evidenceText(f), /__vm_enough_memory: pid: 142, comm: ocmap, bytes: 314572800/);
  assert.match(f.explanation, /The kernel logged the refusal: ocmap \(pid 142\) 300\.0 MiB/);
});

test('without the sysctl, a refused size below RAM + swap proves mode 2 (mode 0 would have granted 300 MiB of 463.8)', async () => {
  const f = await only(strictOvercommit, OC.slice(1));
  assert.equal(f.title, 'Strict overcommit (vm.overcommit_memory = 2, told by the size refused) refused memory to ocmap');
  assert.equal((f.data as { strictFrom: string }).strictFrom, 'refused-size');
  assert.equal((f.data as { overcommitMemory: number | null }).overcommitMemory, null, 'the mode is not in the input: it stays null');
  assert.match(f.explanation, /refused ocmap \(pid 142\) 300\.0 MiB .*MemTotal 474980 kB \+ SwapTotal 0 kB/);
  assert.match(evidenceText(f), /MemTotal: +474980 kB/);
  assert.match(evidenceText(f), /SwapTotal: +0 kB/);
  // The dmesg copy holds the mode-0 refusal of 4 GiB too: the 300 MiB one is the proof.
  const g = await only(strictOvercommit, ['qemu-6.12-ocmap.dmesg.log', OC[2]]);
  assert.match(g.explanation, /refused ocmap \(pid 142\) 300\.0 MiB/);
});

// The 4 GiB refusal is larger than RAM + swap: mode 0 refuses it too. With its mode-0 sysctl, and
// without it (the console lines of the refusal alone); the refusal line without any meminfo; 6.1's
// line (no size) with a meminfo far from the limit; 5.10, which prints no line.
for (const inputs of [
  ['qemu-6.12-ocmap-heuristic.log', OC[2]],
  ['qemu-6.12-ocmap-heuristic.refusal.log', OC[2]],
  ['qemu-6.12-ocmap-strict.log'],
  ['qemu-6.1-jvm-overcommit-strict.xms.log', 'qemu-6.1-jvm-overcommit-strict.meminfo.txt'],
  ['qemu-5.10-ocmap-strict.log'],
]) {
  test(`refusal lines: silent on ${inputs.join(' + ')}`, async () => {
    assert.deepEqual((await runRule(strictOvercommit, inputs)).findings, []);
  });
}

test('the refused-size proof at its boundary: RAM + swap exactly (mode 0 grants it) fires, one byte more does not', async () => {
  const a = await analyze(OC.slice(1).map((n) => ({ path: fixturePath(n) })), { rules: [] });
  const ramSwapBytes = (474980 + 0) * 1024;
  const run = (sizeBytes: number) => {
    const incidents = a.incidents.map((i) => (i.kind === 'overcommit_refusal' ? { ...i, sizeBytes } : i)) as Incident[];
    const ctx: RuleContext = { incidents, inputs: a.inputs, lineText: () => null, evidence: (input, line) => ({ input, line, text: '' }) };
    return strictOvercommit.check(ctx).map((f) => (f.data as { strictFrom: string }).strictFrom);
  };
  assert.deepEqual(run(ramSwapBytes), ['refused-size']);
  assert.deepEqual(run(ramSwapBytes + 1), []);
  assert.deepEqual(run(314572800), ['refused-size']);
});

test('a storm of refusals under mode 2: the rate limit\'s "15 callbacks suppressed" is counted in', async () => {
  // Debian 6.12: 25 refused `ocmap 300` in a row (10 printed), 6 s later one more after the notice.
  const f = await only(strictOvercommit, ['qemu-6.12-ocmap-storm.sysctl.txt', 'qemu-6.12-ocmap-storm.dmesg.log']);
  assert.equal(f.title, 'Strict overcommit (vm.overcommit_memory = 2) refused memory to ocmap');
  assert.match(f.explanation, /The kernel logged 11 refusals: ocmap \(pid 140\) 300\.0 MiB; .*it said 15 more were not printed/);
  assert.deepEqual((f.data as { refusedSizeBytes: number[] }).refusedSizeBytes, Array(11).fill(314572800));
});
