import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memcgLimit } from '../../src/rules/memcg-limit.js';
import { analyze } from '../../src/index.js';
import { readFixture } from '../helpers.js';
import { available, evidenceText, only, runRule } from './run-rule.js';

const oneKill = { memcg: '/mt-fixture', limitKb: 65536, usageKb: 65536, failcnt: 1863, kmemUsageKb: 220, anonKb: 65316, fileKb: 0, shmemKb: 0, swapKb: 0, victimPid: 2822, victimAnonRssKb: 65280, tasks: 1 };
// The same 64M-limit report in every format this machine printed it in.
for (const name of ['host-6.18-memcg-v1-oom.dmesg.log', 'host-6.18-memcg-v1-oom.dmesg-T.log', 'host-6.18-memcg-v1-oom.dmesg-x.log', 'host-6.18-memcg-v1-oom.kmsg.log']) {
  test(`fires on ${name}: 64M limit, python3 2822`, async () => {
    const f = await only(memcgLimit, [name]);
    const d = f.data as Record<string, unknown>;
    for (const [k, v] of Object.entries(oneKill)) assert.equal(d[k], v, k);
    assert.equal(f.title, 'Memory cgroup /mt-fixture hit its limit of 65536 kB (64.0 MiB); python3 (pid 2822) was killed');
    assert.ok(f.explanation.includes('The machine as a whole was not out of memory'));
    assert.ok(f.explanation.includes('failcnt 1863'));
    assert.match(evidenceText(f), /memory: usage 65536kB, limit 65536kB, failcnt 1863/);
  });
}

test('fires on the multi report: 128M limit, 5 tasks, victim 3006, thrash before the kill', async () => {
  const { findings } = await runRule(memcgLimit, ['host-6.18-memcg-v1-oom-multi.dmesg.log']);
  // The file opens with the tail of the previous (64M) kill, then the full 128M report.
  assert.deepEqual(findings.map((f) => (f.data as Record<string, unknown>).victimPid), [2822, 3006]);
  const d = findings[1].data as Record<string, unknown>;
  assert.deepEqual([d.memcg, d.limitKb, d.usageKb, d.failcnt, d.anonKb, d.fileKb, d.tasks, d.victimAnonRssKb, d.workingsetRefaultFile],
    ['/mt-fixture-multi', 131072, 131072, 2933361, 130360, 52, 5, 72576, 2789376]);
  assert.ok(findings[1].explanation.includes('2789376 page-cache refaults'));
  assert.equal((findings[0].data as Record<string, unknown>).limitKb, null);
  assert.ok(findings[0].explanation.includes('not in the input, so the limit is unknown'));
});

// A process moved into the cgroup after it had allocated 96 MiB (cgroup v1, move_charge_at_immigrate 0):
// its anon-rss (171508 kB) is 2.6 times the limit it was killed at; the 64M report above is just
// under it (65280 of 65536 kB).
test('a victim whose anon-rss is more than the limit: its earlier pages are charged elsewhere, said so', async () => {
  const f = await only(memcgLimit, ['host-6.18-memcg-v1-oom-moved-in.dmesg.log']);
  const d = f.data as Record<string, unknown>;
  assert.deepEqual([d.memcg, d.limitKb, d.victimPid, d.victimAnonRssKb], ['/mtlead-moved', 65536, 7434, 171508]);
  assert.match(f.explanation, /anon-rss 171508 kB \(167\.5 MiB\) \(261\.7 % of the limit\)/);
  assert.match(f.explanation, /Its anon-rss alone is more than the cgroup's whole limit, so part of its memory is charged to another cgroup: most often the pages it touched before it was moved into \/mtlead-moved/);
  const under = await only(memcgLimit, ['host-6.18-memcg-v1-oom.dmesg.log']);
  assert.doesNotMatch(under.explanation, /more than the cgroup's whole limit/);
});

// Global OOMs (seed 003's tor, seed 000's lotus-seal-work) and no OOM at all.
const silent = [['seed:003'], ['seed:000'], ['seed000-4.15-oom-kill-syslog.log'], ['seed003-4.9-oom-folded-one-line.log'], ['host-6.18-memcg-v1-oom.memory.stat.txt']];
for (const inputs of silent) {
  test(`silent on ${inputs.join(' + ')}`, { skip: !available(inputs) && 'no seeds' }, async () => {
    assert.deepEqual((await runRule(memcgLimit, inputs)).findings, []);
  });
}

// Issue 7: what filled the cgroup, the victim's share of the limit, the swap setting read (v1 and v2).
// (The "-file-" runs meant to read a file into the cgroup first; the ext4 mount failed in that boot,
// so their stats show file 0: they are anonymous-memory OOMs.)
test('v2 hog: mostly anonymous, the victim\'s anon-rss 99.4 % of the limit (not its file/shmem rss), swap.max unlimited and unused', async () => {
  const f = await only(memcgLimit, ['qemu-6.1-memcg-v2-file-oom.log']);
  assert.match(f.explanation, /Mostly anonymous memory \(99\.7 % of what it held\)/);
  // Killed process 110 (hog) … anon-rss:65148kB, file-rss:4kB, shmem-rss:648kB; limit 65536kB.
  assert.equal((f.data as any).victimPercentOfLimit, Math.round((1000 * 65148) / 65536) / 10);
  assert.match(f.explanation, /Swap \(v2 memory\.swap\.max = max\): the cgroup may swap as much as the machine has; it used none/);
});

test('v1: memory+swap unlimited is said as such', async () => {
  const f = await only(memcgLimit, ['qemu-6.1-memcg-v1-file-oom.log']);
  assert.match(f.explanation, /Swap \(v1 memory\.memsw\.limit_in_bytes\): unlimited/);
});

// Issue 7, second run (qemu 6.1, 512 MiB, ext4 data disk and a 48 MiB swap disk): what filled the
// cgroup when it was not anonymous memory, and the swap settings on both sides.
test('v1 tmpfs written from inside the cgroup: shared memory, not reclaimable page cache; memsw = limit means no swap', async () => {
  const f = await only(memcgLimit, ['qemu-6.1-memcg-v1-shmem-oom.log']);
  // "file 65892352", "shmem 65892352", "anon 1048576", "kernel 167936" (bytes).
  assert.match(f.explanation, /Mostly shared memory \(tmpfs, shm\) \(98\.2 % of what it held\).*deleting the files does, and with no swap allowed/);
  assert.doesNotMatch(f.explanation, /Mostly page cache/);
  assert.match(f.explanation, /page cache 0 kB \(not counting shmem\), shmem 64348 kB/);
  assert.match(f.explanation, /Swap \(v1\): the memory\+swap limit equals the memory limit, so this cgroup could not swap at all/);
  // Killed process 118 (dd) … anon-rss:940kB: the victim held almost nothing of what filled the cgroup.
  assert.equal((f.data as any).victimPercentOfLimit, Math.round((1000 * 940) / 65536) / 10);
});

test('v2 tmpfs written from inside the cgroup, memory.swap.max = 0', async () => {
  const f = await only(memcgLimit, ['qemu-6.1-memcg-v2-shmem-oom.log']);
  assert.match(f.explanation, /Mostly shared memory \(tmpfs, shm\) \(98\.2 % of what it held\)/);
  assert.match(f.explanation, /Swap \(v2 memory\.swap\.max = 0\): this cgroup may not swap at all/);
});

test('v2 filled by kernel memory (SysV message queues charged to the cgroup): two kills, kernel memory named each time', async () => {
  const { findings } = await runRule(memcgLimit, ['qemu-6.1-memcg-v2-kmem-oom.log']);
  assert.deepEqual(findings.map((f) => (f.data as any).victimPid), [126, 125]);
  // First report: anon 8519680, file 0, kernel 41807872 bytes → 41807872 / (8519680 + 41807872).
  assert.match(findings[0].explanation, new RegExp(`Mostly kernel memory \\(${((100 * 41807872) / (8519680 + 41807872)).toFixed(1)} % of what it held\\)`));
  assert.equal((findings[0].data as any).kernelKb, 41807872 / 1024);
});

test('v1 with a memory+swap limit above the memory limit, and v2 with memory.swap.max 16M: both say how much could swap, and the victim\'s swap', async () => {
  const v1 = await only(memcgLimit, ['qemu-6.1-memcg-v1-swap-oom.log']);
  assert.match(v1.explanation, /Swap \(v1\): memory\+swap may reach 49152 kB \(48\.0 MiB\), so up to 16384 kB \(16\.0 MiB\) of it could be swapped out/);
  // Task row "[    127]     0   127    12583     8273   139264     4076 …": 4076 swap entries × 4 kB.
  assert.equal((v1.data as any).victimSwapKb, 4076 * 4);
  const v2 = await only(memcgLimit, ['qemu-6.1-memcg-v2-swap-oom.log']);
  assert.match(v2.explanation, /Swap \(v2\): memory\.swap\.max is 16384 kB \(16\.0 MiB\), of which 16384 kB \(16\.0 MiB\) was used/);
  assert.equal((v2.data as any).victimSwapKb, 4090 * 4);
  assert.match(v2.explanation, /16360 kB \(16\.0 MiB\) in swap \(the task table's swapents\)/);
});

// The cgroup of the inode-lock convoy run (8 dd writing one ext4 file, writes throttled to 512 KiB/s,
// cgroup writeback off): its memcg OOM came from ext4's GFP_NOFS|__GFP_NOFAIL allocation, with the
// cgroup full of page cache waiting for the disk: "file 22528000", "file_dirty 6029312", "file_writeback 22519808".
test('v2 filled by page cache under writeback: says how much is dirty or under writeback', async () => {
  const f = await only(memcgLimit, ['qemu-6.1-memcg-v2-writeback-oom.log']);
  assert.match(f.explanation, new RegExp(`Mostly page cache \\(${((100 * 22528000) / (8388608 + 22528000 + 2637824)).toFixed(1)} % of what it held\\)`));
  assert.match(f.explanation, new RegExp(`Of it, ${22519808 / 1024} kB \\(21\\.5 MiB\\) under writeback and ${6029312 / 1024} kB \\(5\\.8 MiB\\) dirty`));
  // Anonymous-memory OOMs say nothing of the sort.
  assert.doesNotMatch((await only(memcgLimit, ['qemu-6.1-memcg-v2-swap-oom.log'])).explanation, /under writeback/);
});

test('v1 filled by page cache under writeback (the same writers in a v1 cgroup): the same reading', async () => {
  const f = await only(memcgLimit, ['qemu-6.1-memcg-v1-writeback-oom.log']);
  // "anon 8388608", "file 22507520", "kernel 2658304", "file_dirty 4546560", "file_writeback 22499328".
  assert.match(f.explanation, new RegExp(`Mostly page cache \\(${((100 * 22507520) / (8388608 + 22507520 + 2658304)).toFixed(1)} % of what it held\\)`));
  assert.match(f.explanation, new RegExp(`Of it, ${22499328 / 1024} kB \\(21\\.5 MiB\\) under writeback and ${4546560 / 1024} kB \\(4\\.3 MiB\\) dirty`));
  assert.match(f.explanation, /Swap \(v1\): the memory\+swap limit equals the memory limit/);
});

// Issue 10: a flapping cgroup. Three real kills of python3 in /mt-s2mem-flap on this machine
// (test/fixtures/README.md, "Memory bounds"): one finding for the program in that cgroup.
const FLAP = 'host-6.18-memcg-v1-oom-flapping.dmesg.log';

test('three kills of one program in one cgroup: one finding with the count, pids, first and last kills', async () => {
  const { findings, analysis } = await runRule(memcgLimit, [FLAP]);
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f.title, 'Memory cgroup /mt-s2mem-flap hit its limit 3 times; python3 was killed each time');
  assert.deepEqual(f.incidents, [0, 1, 2]);
  assert.equal(analysis.incidents.length, 3);
  assert.match(f.explanation, /^The OOM killer killed python3 3 times inside the memory cgroup \/mt-s2mem-flap, from 9803\.530525 s after boot to 9809\.062926 s after boot \(pids 22849, 23047, 23169\)\. The cgroup's memory limit at these kills: 65536 kB \(64\.0 MiB\)\./);
  // The last kill in detail (failcnt 240 is the third report's memory: line).
  assert.match(f.explanation, /The last kill in detail: This OOM kill at 9809\.062926 s after boot .* failcnt 240 .* Victim: python3 \(pid 23169\)/);
  const d = f.data as Record<string, unknown>;
  assert.deepEqual([d.kills, d.pids, d.limitsKb, d.victimPid, d.failcnt, d.firstIncident, d.lastIncident], [3, [22849, 23047, 23169], [65536], 23169, 240, 0, 2]);
  // First kill's header and victim, then the last one's; the middle kill is not quoted.
  assert.deepEqual(f.evidence.slice(0, 4).map((e) => e.line), [1, 78, 157, 234]);
  assert.ok(!f.evidence.some((e) => e.line > 78 && e.line < 157), 'nothing of the middle kill');
  assert.match(evidenceText(f), /memory: usage 65536kB, limit 65536kB, failcnt 240/);
});

test('groupKills: 2 kills group at the default (2); 1 kill stays one finding per kill; groupKills 3 keeps 2 kills apart', async () => {
  // The first two reports of the flapping log (its lines 1–156, verbatim).
  const two = readFixture(FLAP).split('\n').slice(0, 156).join('\n') + '\n';
  const grouped = await analyze([{ name: 'two', text: two }], { rules: [memcgLimit] });
  assert.deepEqual(grouped.findings.map((f) => [f.title, f.incidents]), [['Memory cgroup /mt-s2mem-flap hit its limit 2 times; python3 was killed each time', [0, 1]]]);
  const apart = await analyze([{ name: 'two', text: two }], { rules: [memcgLimit], ruleOptions: { 'memcg-limit': { groupKills: 3 } } });
  assert.deepEqual(apart.findings.map((f) => [f.title, f.incidents]), [
    ['Memory cgroup /mt-s2mem-flap hit its limit of 65536 kB (64.0 MiB); python3 (pid 22849) was killed', [0]],
    ['Memory cgroup /mt-s2mem-flap hit its limit of 65536 kB (64.0 MiB); python3 (pid 23047) was killed', [1]]]);
  // The per-kill finding is the one a lone kill gets.
  const one = await analyze([{ name: 'one', text: two.split('\n').slice(0, 78).join('\n') + '\n' }], { rules: [memcgLimit] });
  assert.deepEqual(one.findings.map((f) => f.title), [apart.findings[0].title]);
  assert.equal(one.findings[0].explanation, apart.findings[0].explanation);
});

test('kills in two cgroups are not grouped together (the multi report: /mt-fixture and /mt-fixture-multi)', async () => {
  const { findings } = await runRule(memcgLimit, ['host-6.18-memcg-v1-oom-multi.dmesg.log', FLAP]);
  assert.deepEqual(findings.map((f) => [(f.data as Record<string, unknown>).memcg, f.incidents.length]), [['/mt-fixture', 1], ['/mt-fixture-multi', 1], ['/mt-s2mem-flap', 3]]);
});

test('kills whose cgroup is not printed (a lone "Killed process" line) group by program, without claiming one cgroup', async () => {
  // The first line of host-6.18-hung-task-fuse.dmesg.log: the tail of a cgroup OOM, repeated
  // (copies kept apart: the same record twice would otherwise be merged).
  const line = readFixture('host-6.18-hung-task-fuse.dmesg.log').split('\n')[0] + '\n';
  const three = await analyze([{ name: 'x', text: line.repeat(3) }], { rules: [memcgLimit], keepCopies: true });
  assert.deepEqual(three.findings.map((f) => [f.title, f.incidents]), [['Memory cgroups not named in the reports hit their limits 3 times; python3 was killed each time', [0, 1, 2]]]);
  assert.match(three.findings[0].explanation, /inside memory cgroups whose path the reports do not print \(one or several\)/);
  const one = await analyze([{ name: 'x', text: line }], { rules: [memcgLimit] });
  assert.deepEqual(one.findings.map((f) => f.title), ['A memory cgroup hit its limit; python3 (pid 3185) was killed']);
});
