import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overcommit } from '../../src/rules/overcommit.js';
import { available, evidenceText, only, runRule } from './run-rule.js';

// Seed 004: crash kmem -i, COMMITTED 4495745 pages = 222 % of COMMIT LIMIT 2021472, more than RAM.
for (const inputs of [['seed004-3.10-crash-kmem-i.txt'], ['seed:004']]) {
  test(`fires on ${inputs.join(' + ')}: 222 % of the commit limit`, { skip: !available(inputs) && 'no seeds' }, async () => {
    const f = await only(overcommit, inputs);
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.data, { committedKb: 17982980, commitLimitKb: 8085888, committedPercentOfLimit: 222, committedPercentOfRamAndSwap: 111, totalKb: 16171780, swapTotalKb: 0 });
    assert.ok(f.explanation.includes('vm.overcommit_memory = 0 (the default heuristic)'));
    assert.ok(f.explanation.includes('not the cause'));
    assert.ok(f.explanation.includes('the default vm.overcommit_ratio'));
    assert.match(evidenceText(f), /COMMITTED 4495745 17\.1 GB 222% of TOTAL LIMIT/);
  });
}

// Seed 001: Committed_AS 53252204 kB vs CommitLimit 31798160 kB: over the limit, under RAM: info.
for (const inputs of [['seed001-5.10-meminfo.txt'], ['seed:001']]) {
  test(`fires on ${inputs.join(' + ')}: 167 % of the limit, 84 % of RAM`, { skip: !available(inputs) && 'no seeds' }, async () => {
    const f = await only(overcommit, inputs);
    assert.equal(f.severity, 'info');
    const d = f.data as Record<string, unknown>;
    assert.deepEqual([d.committedKb, d.commitLimitKb, d.committedPercentOfLimit, d.committedPercentOfRamAndSwap], [53252204, 31798160, 167, 84]);
    assert.match(evidenceText(f), /Committed_AS:\s+53252204 kB/);
  });
}

const silent = [['host-6.18-meminfo.txt'], ['host-6.18-meminfo-under-pressure.txt'], ['seed:003'], ['seed:002'], ['host-6.18-memcg-v1-oom.dmesg.log']];
for (const inputs of silent) {
  test(`silent on ${inputs.join(' + ')}`, { skip: !available(inputs) && 'no seeds' }, async () => {
    assert.deepEqual((await runRule(overcommit, inputs)).findings, []);
  });
}
