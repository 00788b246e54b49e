import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unkillableTask } from '../../src/rules/unkillable-task.js';
import { available, evidenceText, only, runRule } from './run-rule.js';

// Seed 003: systemd-udevd and sshd at oom_score_adj -1000 in the OOM task table (dbus-daemon's -900 is not).
for (const inputs of [['seed003-4.9-oom-folded-one-line.log'], ['seed:003']]) {
  test(`fires on ${inputs.join(' + ')}: -1000 tasks`, { skip: !available(inputs) && 'no seeds' }, async () => {
    const f = await only(unkillableTask, inputs);
    assert.equal(f.severity, 'info');
    assert.deepEqual((f.data as Record<string, unknown>).tasks, [
      { comm: 'systemd-udevd', pid: 467, oomScoreAdj: -1000, field: 'oom_score_adj', rssPages: 313, reports: 1 },
      { comm: 'sshd', pid: 621, oomScoreAdj: -1000, field: 'oom_score_adj', rssPages: 189, reports: 1 },
    ]);
    assert.ok(f.explanation.includes('the OOM killer never chooses it'));
    assert.match(evidenceText(f), /\[ 621\] 0 621 17486 189 37 3 0 -1000 sshd/);
  });
}

test('fires on seed 004 signal_struct.oom_score_adj_min = -998, naming the task from task -R signal', async () => {
  const f = await only(unkillableTask, ['seed004-3.10-crash-oom-score-adj-min.txt']);
  assert.deepEqual((f.data as Record<string, unknown>).tasks, [{ comm: 'xxxxx', pid: null, oomScoreAdj: -998, field: 'oom_score_adj_min', rssPages: null, reports: 1 }]);
  assert.ok(f.explanation.includes('chooses it only when nothing else is left'));
  assert.match(evidenceText(f), /oom_score_adj_min = -998/);
});

test('fires on seed 004 ps: 760 tasks in UN state, all top', async () => {
  const f = await only(unkillableTask, ['seed004-3.10-crash-ps-un.txt']);
  assert.equal(f.severity, 'warning');
  assert.equal(f.title, '760 tasks stuck in D (uninterruptible) state: top');
  assert.ok(f.explanation.includes('SIGKILL included'));
  assert.match(evidenceText(f), /\[UN\] PID: 28627 TASK: ffff880003aecb00 CPU: 7 COMMAND: "top"/);
});

test('fires on seed 002 sysrq w: 5 D tasks', async () => {
  const f = await only(unkillableTask, ['seed002-4.9-sysrq-w-arm.log']);
  assert.equal(f.severity, 'info');
  assert.deepEqual(((f.data as Record<string, unknown>).tasks as { pid: number }[]).map((t) => t.pid), [493, 2469, 2495, 3242, 3258]);
});

test('seed 004 whole: both the -998 task and the 760 UN tasks', { skip: !available(['seed:004']) && 'no seeds' }, async () => {
  const { findings } = await runRule(unkillableTask, ['seed:004']);
  assert.deepEqual(findings.map((f) => f.severity).sort(), ['info', 'warning']);
});

// A memcg OOM whose only task has oom_score_adj 0; idle snapshots with no D task.
const silent = [['host-6.18-memcg-v1-oom.dmesg.log'], ['host-6.18-memcg-v1-oom-multi.dmesg.log'], ['host-6.18-ps-aux.txt'], ['host-6.18-top-procps.txt'], ['seed002-4.9-top-busybox-normal.txt'], ['seed:001']];
for (const inputs of silent) {
  test(`silent on ${inputs.join(' + ')}`, { skip: !available(inputs) && 'no seeds' }, async () => {
    assert.deepEqual((await runRule(unkillableTask, inputs)).findings, []);
  });
}
