import assert from 'node:assert/strict';
import { test } from 'node:test';
import { strictOvercommit } from '../../src/rules/strict-overcommit.js';
import { evidenceText, only, runRule } from './run-rule.js';

// A 512 MiB 6.1 guest with vm.overcommit_memory=2, ratio 50: a 16 MiB hog, then a hog that stops
// at 196 MiB with "Cannot allocate memory" while 211 MiB were available.
const ALL = ['qemu-6.1-overcommit-strict.sysctl.txt', 'qemu-6.1-overcommit-strict.hog-stderr.txt', 'qemu-6.1-overcommit-strict.meminfo.txt'];

test('fires with the sysctl, the ENOMEM line and the meminfo: mode 2 proven', async () => {
  const f = await only(strictOvercommit, ALL);
  assert.equal(f.title, 'Strict overcommit (vm.overcommit_memory = 2) refused memory to hog: committed 222.3 MiB of a 228.6 MiB limit');
  assert.deepEqual(f.data, { overcommitMemory: 2, overcommitRatio: 50, commitLimitKb: 234084, committedAsKb: 227644, programs: ['hog'] });
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
  assert.deepEqual(f.data, { overcommitMemory: 2, overcommitRatio: 50, commitLimitKb: 234076, committedAsKb: 77576, programs: ['java'] });
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
