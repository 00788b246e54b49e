import assert from 'node:assert/strict';
import { test } from 'node:test';
import { processGrowth } from '../../src/rules/process-growth.js';
import { available, evidenceText, only, runRule } from './run-rule.js';

// Seed 002: logd 2408 kB (pid 21826, normal screen) vs 292m (pid 493, abnormal screen); no clock on either.
for (const inputs of [['seed002-4.9-top-busybox-normal.txt', 'seed002-4.9-top-busybox-abnormal.txt'], ['seed002-4.9-top-busybox-abnormal.txt', 'seed002-4.9-top-busybox-normal.txt'], ['seed:002']]) {
  test(`fires on ${inputs.join(' + ')}: logd grew, ordered by memory pressure`, { skip: !available(inputs) && 'no seeds' }, async () => {
    const f = await only(processGrowth, inputs);
    assert.equal(f.severity, 'critical');
    assert.deepEqual(f.data, {
      command: '/sbin/logd -S 64', metric: 'vsz', fromKb: 2408, toKb: 299008, growthKb: 296600,
      pidsBefore: [21826], pidsAfter: [493], orderBasis: 'pressure', totalKb: 661756,
    });
    assert.ok(f.explanation.includes('grew from 2408 kB to 292m (299008 kB)'));
    assert.ok(f.explanation.includes('ordered by memory pressure'));
    assert.ok(f.explanation.includes('restarted in between'));
    assert.match(evidenceText(f), /21826\s+1 root\s+S\s+2408\s+0%\s+0% \/sbin\/logd -S 64/);
    assert.match(evidenceText(f), /493\s+1 root\s+S\s+292m\s+45%\s+0% \/sbin\/logd -S 64/);
  });
}

// One screen; two screens of different process sets; the same moment seen by top and ps.
const silent = [
  ['seed002-4.9-top-busybox-abnormal.txt'], ['host-6.18-top-procps.txt', 'host-6.18-top-procps-under-pressure.txt'],
  ['host-6.18-top-busybox.txt', 'host-6.18-top-procps.txt'], ['host-6.18-ps-aux.txt', 'host-6.18-ps-busybox.txt'], ['seed:001'], ['seed:004'],
];
for (const inputs of silent) {
  test(`silent on ${inputs.join(' + ')}`, { skip: !available(inputs) && 'no seeds' }, async () => {
    assert.deepEqual((await runRule(processGrowth, inputs)).findings, []);
  });
}
