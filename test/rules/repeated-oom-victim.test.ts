import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repeatedOomVictim } from '../../src/rules/repeated-oom-victim.js';
import { available, only, runRule } from './run-rule.js';

const fires: { inputs: string[]; kills: number; pids: number[]; spanSec: number; meanIntervalSec: number; clock: string }[] = [
  // The tail of the 64M cgroup's kill (pid 2822), then the 128M cgroup's (pid 3006): kernel uptime.
  { inputs: ['host-6.18-memcg-v1-oom-multi.dmesg.log'], kills: 2, pids: [2822, 3006], spanSec: 48.211, meanIntervalSec: 48.211, clock: 'uptime' },
  // Wall clock with a year: journald's ingestion time (17:59:18 → 17:59:56).
  { inputs: ['host-6.18-memcg-v1-oom-both.journal-short-iso.log'], kills: 2, pids: [2822, 3006], spanSec: 38, meanIntervalSec: 38, clock: 'time' },
  // Two logs of the same boot: the third kill (pid 3185) opens the hung-task capture.
  { inputs: ['host-6.18-memcg-v1-oom-multi.dmesg.log', 'host-6.18-hung-task-fuse.dmesg.log'], kills: 3, pids: [2822, 3006, 3185], spanSec: 63.45, meanIntervalSec: 31.725, clock: 'uptime' },
];
for (const c of fires) {
  test(`fires on ${c.inputs.join(' + ')}: python3 killed ${c.kills} times`, async () => {
    const f = await only(repeatedOomVictim, c.inputs);
    const d = f.data as Record<string, unknown>;
    assert.deepEqual([d.comm, d.kills, d.pids, d.spanSec, d.meanIntervalSec, d.clock], ['python3', c.kills, c.pids, c.spanSec, c.meanIntervalSec, c.clock]);
    assert.equal(f.incidents.length, c.kills);
    assert.equal(f.evidence.length, c.kills);
    assert.ok(f.evidence.every((e) => /Killed process \d+ \(python3\)/.test(e.text)));
  });
}

test('no common clock: the journal short format has neither a year nor uptime', async () => {
  const f = await only(repeatedOomVictim, ['host-6.18-memcg-v1-oom-both.journal-short.log']);
  assert.equal((f.data as Record<string, unknown>).spanSec, null);
  assert.ok(f.explanation.includes('the span is unknown'));
});

// One kill each (seed 000's lotus-seal-work, seed 003's tor, the 64M cgroup's python3).
const silent = [['seed:000'], ['seed:003'], ['host-6.18-memcg-v1-oom.dmesg.log'], ['host-6.18-hung-task-fuse.dmesg.log'], ['seed000-4.15-oom-kill-syslog.log']];
for (const inputs of silent) {
  test(`silent on ${inputs.join(' + ')}`, { skip: !available(inputs) && 'no seeds' }, async () => {
    assert.deepEqual((await runRule(repeatedOomVictim, inputs)).findings, []);
  });
}
