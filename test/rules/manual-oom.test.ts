import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualOom } from '../../src/rules/manual-oom.js';
import { RULES } from '../../src/rules/index.js';
import { analyze } from '../../src/index.js';
import { analyzeFixtures, fixturePath } from '../helpers.js';
import { evidenceText, only, runRule } from './run-rule.js';

// echo f > /proc/sysrq-trigger on a 512 MiB Debian 6.1 guest with a 40 MiB hog running.
test('fires on sysrq f: order=-1, moom_callback, the worker named as invoker', async () => {
  const f = await only(manualOom, ['qemu-6.1-sysrq-f-manual-oom.log']);
  assert.equal(f.title, 'The OOM killer was run by hand (order=-1, sysrq f), not by a failed allocation; it killed hog (pid 90)');
  assert.match(evidenceText(f), /Workqueue: events moom_callback/);
  assert.match(evidenceText(f), /kworker\/1:0 invoked oom-killer: gfp_mask=0xcc0\(GFP_KERNEL\), order=-1/);
  assert.match(evidenceText(f), /moom_callback/);
});

test('the verdict leads with it, and no rule explains a failed order -1 request', async () => {
  const a = await analyzeFixtures(['qemu-6.1-sysrq-f-manual-oom.log'], RULES);
  assert.match(a.verdict ?? '', /^The OOM killer was run by hand/);
  for (const f of a.findings) assert.doesNotMatch(f.title + f.explanation, /order -1 request|order-(-1)/, f.rule);
});

for (const inputs of [['qemu-6.1-global-oom.log'], ['qemu-6.1-memcg-v2-oom.log'], ['seed003-4.9-oom-folded-one-line.log']]) {
  test(`silent on ${inputs.join(' + ')}`, async () => {
    assert.deepEqual((await runRule(manualOom, inputs)).findings, []);
  });
}

// Before 4.4 sysrq f printed order=0 and GFP_KERNEL like a real request: vanilla 2.6.32 under qemu
// (test/fixtures/README.md, "Old kernels built from source"); the report's trace has moom_callback.
test('fires on a 2.6.32 sysrq f (order=0): told by moom_callback, not by the order', async () => {
  const f = await only(manualOom, ['qemu-2.6.32-sysrq-f.log']);
  assert.equal(f.title, 'The OOM killer was run by hand (sysrq f), not by a failed allocation; it killed hog (pid 217)');
  assert.match(f.explanation, /order=0, but kernels before 4\.4 printed that for sysrq f too/);
  assert.match(evidenceText(f), /events\/0 invoked oom-killer: gfp_mask=0xd0, order=0, oom_adj=0/);
  assert.match(evidenceText(f), /moom_callback\+0x0\/0x20/);
  assert.equal((f.data as Record<string, unknown>).order, 0);
});

for (const inputs of [['qemu-2.6.32-global-oom.log'], ['qemu-2.6.32-memcg-v1-oom.log']]) {
  test(`silent on the 2.6.32 order-0 OOM ${inputs.join(' + ')}`, async () => {
    assert.deepEqual((await runRule(manualOom, inputs)).findings, []);
  });
}

test('fires on a 3.10 sysrq f (order=0): told by its "Workqueue: events moom_callback" line', async () => {
  const f = await only(manualOom, ['qemu-3.10-sysrq-f.log']);
  assert.equal(f.title, 'The OOM killer was run by hand (sysrq f), not by a failed allocation; it killed hog (pid 22)');
  assert.match(evidenceText(f), /Workqueue: events moom_callback/);
});

test('silent on the 3.10 order-0 global OOM', async () => {
  assert.deepEqual((await runRule(manualOom, ['qemu-3.10-global-oom.log'])).findings, []);
});

// A watchdog pressing sysrq f again and again (issue 10 item 4): manual OOM kills told alike are one finding.
test('manual OOM kills told alike are one finding, the last in detail; order -1 and moom_callback stay apart', async () => {
  const run = async (names: string[]) => (await analyze(names.map((n) => ({ path: fixturePath(n) })), { rules: [manualOom] })).findings;
  const [old, ...rest] = await run(['qemu-2.6.32-sysrq-f.log', 'qemu-3.10-sysrq-f.log']);
  assert.equal(rest.length, 0);
  assert.equal(old.title, 'The OOM killer was run by hand (sysrq f), not by a failed allocation; it killed hog (pid 22) (the same at 2 OOM kills)');
  assert.match(old.explanation, /^The OOM killer was run by hand at 2 OOM kills, from 16\.305493 s after boot to 5\.48082 s after boot\. The last of them: The report says order=0/);
  assert.deepEqual([old.incidents, (old.data as Record<string, unknown>).reports], [[0, 1], 2]);
  const mixed = await run(['qemu-3.10-sysrq-f.log', 'qemu-4.4-sysrq-f.log']);
  assert.deepEqual(mixed.map((f) => f.incidents), [[0], [1]]);
});
