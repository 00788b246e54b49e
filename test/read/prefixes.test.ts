import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OomKillIncident, RcuStallIncident } from '../../src/model/kernel-incidents.js';
import type { Analysis } from '../../src/index.js';
import { analyzeFixtures, analyzeText, readFixture } from '../helpers.js';

// One boot of Debian's 6.1 kernel under qemu (test/fixtures/README.md, "Issue 9"): a sysrq-f OOM,
// a memory.oom.group kill of three tasks and two RCU stalls, as every tool and paste prints them.
// Each must be read with its own format name and give the same incidents with the numbers of the log.
const FORMATS: [string, string, { uptime: boolean }][] = [
  ['dmesg', 'dmesg', { uptime: true }],
  ['dmesg-H', 'dmesg-reltime', { uptime: false }],
  ['dmesg-reltime', 'dmesg-reltime', { uptime: false }],
  ['dmesg-H-color', 'color+dmesg-reltime', { uptime: false }],
  ['dmesg-color', 'color+dmesg', { uptime: true }],
  ['dmesg-d', 'dmesg-delta', { uptime: true }],
  ['dmesg-x', 'dmesg-x+dmesg', { uptime: true }],
  ['journal-short', 'syslog', { uptime: false }],
  ['journal-no-hostname', 'syslog-nohost', { uptime: false }],
  ['journal-short-full', 'journal-short-full', { uptime: false }],
  ['journal-with-unit', 'journal-short-full', { uptime: false }],
  ['journal-verbose', 'journal-verbose', { uptime: true }],
  ['journal-cat', 'console', { uptime: false }],
  ['journal-short-unix', 'journal-short-unix', { uptime: false }],
  ['journal-short-delta', 'journal-delta', { uptime: true }],
  ['journal-short-iso-precise', 'syslog-iso', { uptime: false }],
  ['journal-all-short', 'syslog', { uptime: false }],
  ['rsyslog-traditional', 'syslog', { uptime: true }],
  ['rsyslog-rfc3339', 'syslog-iso', { uptime: true }],
  ['rsyslog-rfc5424', 'syslog-rfc5424', { uptime: true }],
  ['rsyslog-pritext', 'syslog-pri', { uptime: true }],
  ['rsyslog-pritext-nospace', 'syslog-pri', { uptime: true }],
  ['rsyslog-host-no-tag', 'syslog-notag', { uptime: true }],
  ['grep-n-A', 'numbered+syslog', { uptime: true }],
  ['cat-n', 'numbered+dmesg', { uptime: true }],
  ['indented1', 'indented+syslog', { uptime: true }],
  ['indented2', 'indented+syslog', { uptime: true }],
  ['collapsed-spaces', 'syslog', { uptime: true }],
  ['elided-start', 'elided-syslog', { uptime: true }],
];

const file = (v: string): string => `qemu-6.1-prefix-${v}.log`;
const ooms = (a: Analysis): OomKillIncident[] => a.incidents.filter((i): i is OomKillIncident => i.kind === 'oom_kill');

/** The facts of the log, read by eye from qemu-6.1-prefix-dmesg.log lines 3-173. */
function assertFacts(a: Analysis, name: string): void {
  assert.deepEqual(a.incidents.map((i) => i.kind), ['oom_kill', 'oom_kill', 'rcu_stall', 'rcu_stall'], name);
  const [manual, group] = ooms(a);
  // "kworker/0:1 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1": sysrq f
  assert.equal(manual.trigger.comm, 'kworker/0:1', name);
  assert.equal(manual.trigger.order, -1, name);
  assert.equal(manual.manual, true, name);
  assert.deepEqual([manual.victim.pid, manual.victim.comm, manual.victim.totalVmKb, manual.victim.anonRssKb], [103, 'hog', 50324, 49308], name);
  assert.equal(manual.constraint, 'CONSTRAINT_NONE', name);
  assert.equal(manual.kernel.version, '6.1.0-53-amd64', name);
  // memory.oom.group: 110 chosen, then the group 107, 108 (and 110 printed again)
  assert.equal(group.manual, false, name);
  assert.equal(group.memcg, '/grp', name);
  assert.equal(group.oomGroup, '/grp', name);
  assert.deepEqual(group.victims.map((v) => [v.pid, v.anonRssKb]), [[110, 44292], [107, 8124], [108, 12348]], name);
  assert.equal(group.processTable?.rows, 3, name);
  const [self, exp] = a.incidents.slice(2) as RcuStallIncident[];
  assert.deepEqual([self.flavor, self.expedited], ['rcu_preempt', false], name);
  assert.deepEqual([exp.flavor, exp.expedited, exp.cpus], ['rcu_preempt', true, [0]], name);
  assert.equal(a.problems.length, 0, `${name}: ${JSON.stringify(a.problems)}`);
}

for (const [variant, format, { uptime }] of FORMATS) {
  test(`prefix ${variant}: read as ${format}, the same 4 incidents with the log's numbers`, async () => {
    const a = await analyzeFixtures([file(variant)]);
    assert.equal(a.inputs[0].format, format);
    // -o cat prints bare messages: nothing marks them as kernel lines but the reports themselves.
    if (variant !== 'journal-cat') assert.equal(a.inputs[0].type, 'kernel-log');
    assertFacts(a, variant);
    assert.equal(ooms(a)[0].uptimeSec, uptime ? 7.028649 : null, variant);
  });
}

test('rsyslog -o tag-only template ("kernel: [uptime] msg"): bare kernel tag', async () => {
  const a = await analyzeFixtures(['qemu-6.1-prefix-rsyslog-tag-only.log']);
  assert.equal(a.inputs[0].format, 'kernel-tag');
  const [o] = ooms(a);
  assert.deepEqual([o.manual, o.victim.pid, o.victim.anonRssKb, o.uptimeSec], [true, 93, 932, 5.719805]);
});

// Strip positions and clocks; everything else must be identical to the dmesg copy, field by field.
const facts = (a: Analysis): unknown => JSON.parse(JSON.stringify(a.incidents, (k, v) =>
  ['line', 'endLine', 'time', 'timeText', 'uptimeSec', 'input', 'memInfoLine'].includes(k) ? undefined : v));

test('every prefix gives exactly the incidents of the dmesg copy (rsyslog: of its own copy)', async () => {
  const dmesg = facts(await analyzeFixtures([file('dmesg')]));
  const syslog = facts(await analyzeFixtures([file('rsyslog-traditional')]));
  for (const [variant] of FORMATS) {
    // imklog reads /proc/kmsg, which cut the long "Memory cgroup stats" record (real quirk, kept).
    const reference = /^rsyslog|grep|indented|collapsed|elided/.test(variant) ? syslog : dmesg;
    assert.deepEqual(facts(await analyzeFixtures([file(variant)])), reference, variant);
  }
});

test('journalctl without --full: values cut at "…" are null, never a half number, and it is said', async () => {
  const a = await analyzeFixtures([file('journal-no-full')]);
  const [manual, group] = ooms(a);
  // "Killed process 103 (hog) total-vm:50324kB, anon-rss:49308kB, file…ore_adj:0"
  assert.deepEqual([manual.victim.totalVmKb, manual.victim.anonRssKb, manual.victim.fileRssKb, manual.victim.shmemRssKb], [50324, 49308, null, null]);
  // "Killed process 110 (hog) total-vm:46212kB, anon-rss…ore_adj:0": anon-rss is gone, not misread
  assert.equal(group.victim.anonRssKb, null);
  assert.equal(a.problems.length, 1);
  assert.match(a.problems[0].message, /shortened with "…".*--full/);
});

test('rsyslog through the journal (imjournal): a multi-line record is one line with #012 for each newline, read as its lines', async () => {
  const a = await analyzeFixtures(['qemu-6.1-prefix-rsyslog-imjournal-012.log']);
  const [manual, group] = ooms(a);
  // "kernel: active_anon:1113 inactive_anon:21954 isolated_anon:0#012 active_file:0 …#012 …"
  assert.equal(manual.memInfo?.activeAnonPages, 1113);
  assert.equal(manual.memInfo?.inactiveAnonPages, 21954);
  assert.equal(manual.memInfo?.activeFilePages, 0);
  assert.deepEqual(manual.zones.map((z) => z.zone), ['DMA', 'DMA32']);
  assert.deepEqual([manual.manual, manual.victim.pid, manual.victim.anonRssKb], [true, 102, 49384]);
  // The memcg stats record came whole through the journal (imklog's copy of it is cut).
  assert.ok(Object.keys(group.memcgInfo?.stats ?? {}).length > 40);
  assert.deepEqual(group.victims.map((v) => v.pid), [110, 107, 108]);
  assert.deepEqual(a.problems, []);
});

test('rsyslog imklog with ParseKernelTimestamp and a tag-only template: "kernel: msg", no clock at all', async () => {
  const a = await analyzeFixtures(['qemu-6.1-prefix-rsyslog-tag-no-uptime.log']);
  assert.equal(a.inputs[0].format, 'kernel-tag');
  const [manual, group] = ooms(a);
  assert.deepEqual([manual.manual, manual.victim.pid, manual.uptimeSec, manual.time], [true, 102, null, null]);
  assert.deepEqual(group.victims.map((v) => v.pid), [110, 107, 108]);
});

test('"kernel:" with no space before a message that has a colon is a bare tag, not a dmesg -x facility', async () => {
  // The real lines of qemu-6.1-prefix-rsyslog-tag-no-uptime.log with the one space after "kernel:"
  // taken out, as some templates print it (OOMAnalyser's "kernel:" variant); kernel text untouched.
  const text = readFixture('qemu-6.1-prefix-rsyslog-tag-no-uptime.log').replace(/^kernel: /gm, 'kernel:');
  assert.match(text, /^kernel:memory: usage 65536kB/m);
  const a = await analyzeText(text);
  const group = ooms(a)[1];
  assert.equal(group.memcgInfo?.counters[0].usageKb, 65536);
  assert.deepEqual(group.victims.map((v) => v.pid), [110, 107, 108]);
});

test('dmesg -T output sent through syslog (logger -t kernel): both stamps taken off, the wall clock from dmesg -T, "#011" read as a tab', async () => {
  const a = await analyzeFixtures(['qemu-6.1-prefix-syslog-of-dmesg-T.log']);
  assert.equal(a.inputs[0].format, 'syslog');
  assertFacts(a, 'syslog-of-dmesg-T');
  // "Dec  1 11:21:13 vm kernel: [Tue Dec  1 10:30:02 2026] kworker/0:1 invoked oom-killer: …"
  assert.equal(ooms(a)[0].time, '2026-12-01T10:30:02');
  // "rcu: #0110-....: (5069 ticks this GP)": rsyslog's escape of the tab before "0-....:"
  assert.deepEqual((a.incidents[2] as RcuStallIncident).cpus, [0]);
});

test('a syslog host that is an IPv6 address is a host, not a host-only "word:" prefix', async () => {
  // The real rsyslog lines with the host name "mt9vm" replaced by an address, as rsyslog prints
  // remote senders (%fromhost%); the kernel text is untouched.
  const text = readFixture('qemu-6.1-prefix-rsyslog-traditional.log').replace(/ mt9vm kernel: /g, ' fe80::5054:ff:fe12:3456 kernel: ');
  const a = await analyzeText(text);
  assert.equal(a.inputs[0].format, 'syslog');
  assert.deepEqual(ooms(a).map((o) => [o.victim.pid, o.uptimeSec]), [[103, 7.028649], [110, 10.254301]]);
});
