import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CrashBtIncident } from '../../src/model/snapshot-incidents.js';
import { hungTask } from '../../src/rules/hung-task.js';
import { waitOf } from '../../src/rules/util/frames.js';
import { analyzeFixtures } from '../helpers.js';
import { available, evidenceText, only, runRule } from './run-rule.js';

const fires: { inputs: string[]; comm: string; pid: number; blockedSec: number; reports: number; waitKind: string | null; waitFunction: string | null }[] = [
  // Seed 000: the author cut the stack off, so what it waited for is unknown.
  { inputs: ['seed:000'], comm: 'lotus-seal-work', pid: 2651, blockedSec: 120, reports: 1, waitKind: null, waitFunction: null },
  { inputs: ['seed000-4.15-hung-task.log'], comm: 'lotus-seal-work', pid: 2651, blockedSec: 120, reports: 1, waitKind: null, waitFunction: null },
  // 6.18: stat stuck on a FUSE daemon that never answers, reported at 10 s and 20 s.
  { inputs: ['host-6.18-hung-task-fuse.dmesg.log'], comm: 'stat', pid: 3456, blockedSec: 20, reports: 2, waitKind: 'fuse', waitFunction: 'request_wait_answer' },
  { inputs: ['host-6.18-hung-task-fuse.dmesg-T.log'], comm: 'stat', pid: 3456, blockedSec: 20, reports: 2, waitKind: 'fuse', waitFunction: 'request_wait_answer' },
];
for (const c of fires) {
  test(`fires on ${c.inputs.join(' + ')}: ${c.comm} ${c.pid} > ${c.blockedSec} s`, { skip: !available(c.inputs) && 'no seeds' }, async () => {
    const f = await only(hungTask, c.inputs);
    const d = f.data as Record<string, unknown>;
    assert.deepEqual([d.comm, d.pid, d.blockedSec, d.reports, d.waitKind, d.waitFunction], [c.comm, c.pid, c.blockedSec, c.reports, c.waitKind, c.waitFunction]);
    assert.match(evidenceText(f), new RegExp(`INFO: task ${c.comm}:${c.pid} blocked for more than ${c.blockedSec} seconds`));
    assert.ok(f.explanation.includes('cannot be interrupted or killed'));
    if (c.waitKind === 'fuse') assert.ok(f.explanation.includes('waiting for a FUSE daemon'));
    else assert.ok(f.explanation.includes('what the task waited for is unknown'));
  });
}

// The classifier on real stacks from seed 004's crash dump: the ps owner is stuck in the
// allocator, the 749 tops wait on its inode mutex.
for (const [name, kind, fn] of [['seed004-3.10-crash-bt-ps-owner.txt', 'memory', 'wait_iff_congested'], ['seed004-3.10-crash-bt-top.txt', 'lock', 'schedule_preempt_disabled']]) {
  test(`waitOf on ${name}: ${kind}`, async () => {
    const bt = (await analyzeFixtures([name])).incidents.find((i) => i.kind === 'crash_bt') as CrashBtIncident;
    const w = waitOf(bt.frames);
    assert.deepEqual([w?.kind, w?.frame.fn], [kind, fn]);
  });
}

// No hung-task report: OOMs, and sysrq w's blocked-task dump is another kind of incident.
const silent = [['seed:003'], ['host-6.18-memcg-v1-oom.dmesg.log'], ['seed002-4.9-sysrq-w-arm.log'], ['seed000-4.15-warning-nvme.log'], ['seed:004']];
for (const inputs of silent) {
  test(`silent on ${inputs.join(' + ')}`, { skip: !available(inputs) && 'no seeds' }, async () => {
    assert.deepEqual((await runRule(hungTask, inputs)).findings, []);
  });
}
