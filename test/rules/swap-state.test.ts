import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/index.js';
import { swapState } from '../../src/rules/swap-state.js';
import { fixturePath } from '../helpers.js';
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

test('fires on the 5.10 run with the same full swap device', async () => {
  const f = await only(swapState, ['qemu-5.10-swap-full-oom.log']);
  assert.deepEqual([f.severity, (f.data as any).totalSwapKb, (f.data as any).freeSwapKb], ['warning', 49148, 0]);
});

// Issue 10 item 4: global OOM kills with the same swap state are one finding (the last in detail).
// Three real guests with no swap (5.10, 6.1, 6.12) and two with the same full 48 MiB swap device.
const NO_SWAP = ['qemu-5.10-global-oom.log', 'qemu-6.1-global-oom.log', 'qemu-6.12-global-oom.log'];
const FULL = ['qemu-5.10-swap-full-oom.log', 'qemu-6.1-swap-full-oom.log'];
async function withGroup(names: string[], groupReports?: number) {
  const ruleOptions: Record<string, Record<string, number>> = groupReports == null ? {} : { 'swap-state': { groupReports } };
  return (await analyze(names.map((n) => ({ path: fixturePath(n) })), { rules: [swapState], ruleOptions })).findings;
}

test('the same swap state at several OOM kills is one finding: the span, every incident, the last in detail', async () => {
  const [f, ...rest] = await withGroup(NO_SWAP);
  assert.equal(rest.length, 0);
  assert.equal(f.title, 'No swap: process memory could only stay in RAM (the same at 3 OOM kills)');
  assert.match(f.explanation, /^The same swap state at 3 OOM kills, from .* to .*\. The last of them: Total swap is 0/);
  assert.deepEqual(f.incidents, [0, 1, 2]);
  assert.deepEqual([(f.data as any).reports, (f.data as any).firstIncident, (f.data as any).lastIncident], [3, 0, 2]);
  const full = await withGroup(FULL);
  assert.deepEqual(full.map((x) => [x.title, (x.data as any).reports]), [['Swap was full: 0 KiB of 48.0 MiB free (the same at 2 OOM kills)', 2]]);
  // Different states stay apart.
  assert.equal((await withGroup([...FULL, NO_SWAP[0]])).length, 2);
});

test('swap-state groupReports on both sides: 1 OOM alone, 2 grouped at the default, 2 apart from 3; snapshots never grouped', async () => {
  const one = await withGroup(NO_SWAP.slice(0, 1));
  assert.deepEqual(one.map((x) => [x.title, (x.data as any).reports]), [['No swap: process memory could only stay in RAM', undefined]]);
  assert.equal((await withGroup(NO_SWAP.slice(0, 2))).length, 1);
  const apart = await withGroup(NO_SWAP.slice(0, 2), 3);
  assert.deepEqual(apart.map((x) => x.incidents), [[0], [1]]);
  // Two /proc/meminfo snapshots with SwapTotal 0: states at a moment, not OOM kills.
  assert.equal((await withGroup(['host-6.18-meminfo.txt', 'host-6.18-meminfo-under-pressure.txt'])).length, 2);
});
