import assert from 'node:assert/strict';
import { test } from 'node:test';
import { swapState } from '../../src/rules/swap-state.js';
import { evidenceText, only, runRule } from './run-rule.js';

// 48 MiB swap on a virtio disk, filled by a hog until the OOM killer ran (6.1 guest).
test('fires on the full swap: 0 kB of 49148 kB free, the victim had 8973 pages swapped', async () => {
  const f = await only(swapState, ['qemu-6.1-swap-full-oom.log']);
  assert.equal(f.severity, 'warning');
  assert.equal(f.title, 'Swap was full: 0 KiB of 48.0 MiB free');
  assert.deepEqual(f.data, { totalSwapKb: 49148, freeSwapKb: 0, victimSwapKb: 8973 * 4 });
  assert.match(f.explanation, /hog \(pid 102\), had 35892 kB/);
  assert.match(evidenceText(f), /Total swap = 49148kB/);
});

test('no swap at all: an info finding, never a warning', async () => {
  const f = await only(swapState, ['qemu-6.1-global-oom.log']);
  assert.deepEqual([f.severity, f.title], ['info', 'No swap: process memory could only stay in RAM']);
});

// After the kill the swap is 73 % free again; memcg OOMs print no global swap; hung tasks none.
for (const inputs of [['qemu-6.1-swap-full.meminfo.txt'], ['qemu-6.1-memcg-v2-file-oom.log'], ['qemu-6.1-hung-task.log']]) {
  test(`silent on ${inputs.join(' + ')}`, async () => {
    assert.deepEqual((await runRule(swapState, inputs)).findings, []);
  });
}
