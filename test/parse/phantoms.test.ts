import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KernelIncident, OomKillIncident } from '../../src/model/kernel-incidents.js';
import { analyze, render } from '../../src/index.js';
import { analyzeFixtures, fixturePath, readFixture } from '../helpers.js';

// Phantom incidents: things that look like a kernel report and are not, or one report counted twice.
// Fixtures: Debian 6.1 under qemu (test/fixtures/README.md, "Issue 9").

test('user space "WARNING:" lines are not kernel WARNINGs (syslog tag, journal identifier, dmesg facility, -o cat)', async () => {
  // dockerd's "WARNING: No swap limit support" (logger) and a line a program wrote to /dev/kmsg
  for (const f of ['journal-all-short', 'journal-no-hostname', 'journal-verbose', 'journal-cat', 'dmesg-x', 'dmesg']) {
    const a = await analyzeFixtures([`qemu-6.1-prefix-${f}.log`]);
    assert.deepEqual(a.incidents.filter((i) => i.kind === 'warning'), [], f);
  }
});

test('a real kernel WARNING still opens a report (cut here + "WARNING: CPU: N PID: P at")', async () => {
  const a = await analyzeFixtures(['qemu-6.1-warning-and-bug.log']);
  assert.deepEqual(a.incidents.map((i) => i.kind), ['warning', 'bug']);
});

test('memory.oom.group: one OOM event with all its victims, not one per "Killed process" line', async () => {
  const a = await analyzeFixtures(['qemu-6.1-prefix-dmesg.log', 'qemu-6.1-oom-group.memory.events.txt']);
  const group = a.incidents.filter((i): i is OomKillIncident => i.kind === 'oom_kill' && i.memcg === '/grp');
  assert.equal(group.length, 1);
  // memory.events of the same boot: "oom_kill 4" (110 is killed twice: as victim and as a group member)
  assert.deepEqual(group[0].victims.map((v) => v.pid), [110, 107, 108]);
  assert.equal(group[0].victim.pid, 110);
  assert.equal(group[0].partial, false);
  assert.deepEqual(a.problems, []);
});

test('a console capture holding the same records three times (live, `dmesg`, `cat kern.log`) gives each incident once, with the copies as evidence', async () => {
  const a = await analyzeFixtures(['qemu-6.1-copies-console-dmesg-syslog.log']);
  const kernel = a.incidents as KernelIncident[];
  assert.deepEqual(kernel.map((i) => i.kind), ['oom_kill', 'oom_kill', 'rcu_stall', 'rcu_stall']);
  for (const i of kernel) assert.equal(i.copies?.length, 2, `${i.kind} at ${i.line}`);
  // The first OOM: console copy at line 3 (kept), dmesg copy, then the syslog copy.
  const first = kernel[0];
  assert.equal(first.line, 3);
  assert.deepEqual(first.copies!.map((c) => c.line), [555, 1123]);
});

test('two inputs with the same records (dmesg and kern.log): merged across inputs by the kernel clock', async () => {
  const a = await analyzeFixtures(['qemu-6.1-prefix-dmesg.log', 'qemu-6.1-prefix-rsyslog-traditional.log']);
  const kernel = a.incidents as KernelIncident[];
  assert.equal(kernel.length, 4);
  assert.ok(kernel.every((i) => i.input === 0 && i.copies?.length === 1 && i.copies[0].input === 1));
});

test('copies without a common clock: an OOM kill (its victim dies once) merges, and what continues the run of copies after it', async () => {
  // journalctl short: wall clock without a year and no uptime; dmesg: uptime only.
  const a = await analyzeFixtures(['qemu-6.1-prefix-dmesg.log', 'qemu-6.1-prefix-journal-short.log']);
  assert.deepEqual(a.incidents.map((i) => `${i.kind}@${i.input}`), ['oom_kill@0', 'oom_kill@0', 'rcu_stall@0', 'rcu_stall@0']);
  assert.ok((a.incidents as KernelIncident[]).every((i) => i.copies?.length === 1 && i.copies[0].input === 1));
});

test('without a common clock and no run of copies to continue, same-looking RCU stalls stay apart (cannot tell a repeat)', async () => {
  // Only the two stalls of the journal copy (its lines 150-197), after the whole dmesg copy.
  const stalls = readFixture('qemu-6.1-prefix-journal-short.log').split('\n').slice(149, 197).join('\n') + '\n';
  assert.match(stalls, /^Dec 01 10:30:33 mt9vm kernel: rcu: INFO: rcu_preempt self-detected stall on CPU/);
  const a = await analyze([{ path: fixturePath('qemu-6.1-prefix-dmesg.log') }, { name: 'stalls.log', text: stalls }], { rules: [] });
  assert.deepEqual(a.incidents.map((i) => `${i.kind}@${i.input}`), ['oom_kill@0', 'oom_kill@0', 'rcu_stall@0', 'rcu_stall@0', 'rcu_stall@1', 'rcu_stall@1']);
});

test('a whole copy replaces a first copy that was cut before its header (grep -A1, then the dmesg)', async () => {
  const a = await analyzeFixtures(['qemu-6.1-oom-header-cut-grep-A1.log', 'qemu-6.1-prefix-dmesg.log']);
  const o = a.incidents.filter((i): i is OomKillIncident => i.kind === 'oom_kill');
  assert.deepEqual(o.map((i) => [i.input, i.partial, i.victim.pid, i.copies?.map((c) => `${c.input}:${c.line}`)]), [
    [1, false, 103, ['0:1']], [1, false, 110, ['0:4']]]);
});

test('an OOM whose header was cut (grep -A1 "oom-kill:"): still OOM events, marked partial, victims read', async () => {
  const a = await analyzeFixtures(['qemu-6.1-oom-header-cut-grep-A1.log']);
  const o = a.incidents.filter((i): i is OomKillIncident => i.kind === 'oom_kill');
  assert.deepEqual(o.map((i) => [i.partial, i.victim.pid, i.victim.anonRssKb, i.constraint]), [
    [true, 103, 49308, 'CONSTRAINT_NONE'], [true, 110, 44292, 'CONSTRAINT_MEMCG']]);
  assert.equal(a.problems.filter((p) => /without its "invoked oom-killer" header/.test(p.message)).length, 2);
});

test('the text report shows one incident per record and where its copies are', async () => {
  const a = await analyzeFixtures(['qemu-6.1-copies-console-dmesg-syslog.log']);
  const text = render(a, 'text');
  assert.match(text, /4 incidents/);
  assert.match(text, /same record also at qemu-6\.1-copies-console-dmesg-syslog\.log:555-605, qemu-6\.1-copies-console-dmesg-syslog\.log:1123-1173/);
  assert.match(text, /manual OOM kill \(sysrq f, not a shortage\): killed hog \(pid 103\)/);
  assert.match(render(a, 'md'), /- same record also at qemu-6\.1-copies-console-dmesg-syslog\.log:555-605, qemu-6\.1-copies-console-dmesg-syslog\.log:1123-1173/);
});

test('an OOM report with another CPU\'s lines printed into it (timestamps out of order) is one report', async () => {
  // CPU 0's "mt9: chatter N" lines (a module printing every 2 ms) inside CPU 1's memcg OOM report.
  const a = await analyzeFixtures(['qemu-6.1-oom-split-by-other-cpu.log']);
  assert.deepEqual(a.incidents.map((i) => i.kind), ['oom_kill']);
  const o = a.incidents[0] as OomKillIncident;
  assert.deepEqual([o.line, o.endLine, o.partial, o.memcg, o.victim.pid, o.victim.anonRssKb], [2, 73, false, '/sp', 106, 48780]);
  assert.equal(o.memcgInfo?.counters[0].usageKb, 49152);
  assert.equal(o.processTable?.rows, 1);
  assert.ok(o.callTrace.some((f) => f.fn === 'mem_cgroup_out_of_memory'));
  assert.deepEqual(a.problems, []);
});

test('rsyslog taking kernel lines from both imklog and imjournal writes each record twice: one incident each', async () => {
  const a = await analyzeFixtures(['qemu-6.1-copies-rsyslog-imklog-imjournal.log']);
  const o = a.incidents.filter((i): i is OomKillIncident => i.kind === 'oom_kill');
  assert.equal(a.incidents.length, 2);
  assert.deepEqual(o.map((i) => [i.victim.pid, i.copies?.map((c) => c.line)]), [[102, [55]], [110, [171]]]);
});

test('user space writing kernel-looking lines to /dev/kmsg: kmsg (facility 1) and dmesg -x ("user") tell them apart', async () => {
  // "<12>Out of memory: Killed process 1 (init) total-vm:0kB, …" and "mt9-init: WARNING: …" written by
  // /init, then a real sysrq-f OOM. Only the real one is an incident where the facility is printed.
  for (const f of ['qemu-6.1-user-lines-in-kmsg.kmsg.log', 'qemu-6.1-user-lines-in-kmsg.dmesg-x.log']) {
    const a = await analyzeFixtures([f]);
    assert.deepEqual(a.incidents.map((i) => i.kind === 'oom_kill' && i.victim.pid), [101], f);
    assert.deepEqual(a.problems, [], f);
  }
  // Plain dmesg prints no facility: the user line cannot be told from the kernel's (a cut OOM, said so).
  const plain = await analyzeFixtures(['qemu-6.1-user-lines-in-kmsg.dmesg.log']);
  assert.deepEqual(plain.incidents.map((i) => i.kind === 'oom_kill' && [i.victim.pid, i.partial]), [[1, true], [101, false]]);
});
