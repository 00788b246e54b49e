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
