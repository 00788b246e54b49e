import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/index.js';
import { RULES } from '../../src/rules/index.js';
import { seedPath } from '../helpers.js';

// Issue 10 item 7: Kubernetes advice only when the input shows Kubernetes. Seed 001 is a
// Kubernetes GPU node (kubelet in its residency table); seed 000 is a bare filecoin host with the
// same nvidia driver suspect; seed 002 an embedded box.
const advice = async (seed: string) => {
  const a = await analyze([{ path: seedPath(seed)! }], { rules: RULES });
  return a.findings.flatMap((f) => f.advice ?? []);
};
const skip = seedPath('000') && seedPath('001') && seedPath('002') ? false : 'the seeds are not beside the repo (../shared/seeds)';

test('kube-reserved and pod limits are advised on a Kubernetes node only', { skip }, async () => {
  assert.ok((await advice('001')).some((x) => x.includes('kube-reserved')), 'seed 001 shows kubelet');
  for (const s of ['000', '002']) {
    const a = await advice(s);
    assert.ok(a.length > 0, `seed ${s} has advice`);
    assert.ok(!a.some((x) => /kube|\bpod\b/.test(x)), `seed ${s}: ${a.join(' / ')}`);
  }
  // The driver advice stays, in words for any machine.
  assert.ok((await advice('000')).some((x) => x.includes('not charged to any cgroup')));
});
