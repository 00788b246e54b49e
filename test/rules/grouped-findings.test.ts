import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/index.js';
import { hungTask } from '../../src/rules/hung-task.js';
import { repeatedOomVictim } from '../../src/rules/repeated-oom-victim.js';
import { unkillableTask } from '../../src/rules/unkillable-task.js';
import { readFixture } from '../helpers.js';

// Issue 10 item 4: a flapping node repeats the same report thousands of times; findings group
// them (one per victim program, one entry per protected daemon) with counts, capped lists and
// the first and last examples. Inputs are copies of real reports.
const copies = (name: string, n: number) => readFixture(name).repeat(n);

test('unkillable-task: 50 copies of seed 003 list systemd-udevd and sshd once each, with their report count', async () => {
  const one = await analyze([{ name: 'x', text: copies('seed003-4.9-oom-folded-one-line.log', 1) }], { rules: [unkillableTask] });
  const many = await analyze([{ name: 'x', text: copies('seed003-4.9-oom-folded-one-line.log', 50) }], { rules: [unkillableTask] });
  assert.equal(many.incidents.filter((i) => i.kind === 'oom_kill').length, 50);
  const [f1] = one.findings;
  const [f] = many.findings;
  assert.equal(f.title, f1.title, 'the same two daemons, not 100 entries');
  assert.match(f.title, /^2 tasks are protected from the OOM killer \(systemd-udevd -1000, sshd -1000\)$/);
  assert.deepEqual((f.data as { tasks: { reports: number }[] }).tasks.map((t) => t.reports), [50, 50]);
  assert.match(f.explanation, /\(listed in 50 reports\)/);
  assert.ok(f.evidence.length <= 4, `${f.evidence.length} evidence lines`);
});

test('repeated-oom-victim: pids and sizes capped with "and N more"; evidence is the first and last kills', async () => {
  const a = await analyze([{ name: 'x', text: copies('seed003-4.9-oom-folded-one-line.log', 25) }], { rules: [repeatedOomVictim] });
  const [f] = a.findings;
  assert.equal(f.title.startsWith('tor was OOM-killed 25 times'), true, f.title);
  assert.match(f.explanation, /\(pids (1439, ){9}1439 and 15 more\)/);
  assert.equal(f.evidence.length, 5);
  assert.equal(f.evidence[0].line, 1);
  assert.equal(f.evidence[4].line, 25);
  assert.equal((f.data as { pids: number[] }).pids.length, 25, 'data keeps every pid for programs');
  // At the cap (10) nothing is elided.
  const ten = await analyze([{ name: 'x', text: copies('seed003-4.9-oom-folded-one-line.log', 10) }], { rules: [repeatedOomVictim] });
  assert.doesNotMatch(ten.findings[0].explanation, /more\)/);
  const eleven = await analyze([{ name: 'x', text: copies('seed003-4.9-oom-folded-one-line.log', 11) }], { rules: [repeatedOomVictim] });
  assert.match(eleven.findings[0].explanation, /and 1 more\)/);
});

test('hung-task: the same task reported many times is one finding, seconds capped, first and last evidence', async () => {
  const a = await analyze([{ name: 'x', text: copies('qemu-5.10-hung-task.log', 30) }], { rules: [hungTask] });
  const reports = a.incidents.filter((i) => i.kind === 'hung_task').length;
  assert.ok(reports >= 30, `${reports} reports`);
  for (const f of a.findings) {
    assert.ok(f.evidence.length <= 6, `${f.evidence.length} evidence lines`);
    if ((f.data as { reports: number }).reports > 10) assert.match(f.explanation, /and \d+ more\)/);
  }
});
