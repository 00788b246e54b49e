import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OomKillIncident } from '../../../src/model/kernel-incidents.js';
import type { Analysis } from '../../../src/index.js';
import { analyzeFixtures, analyzeText, readFixture } from '../../helpers.js';

// Parts of reports that pastes cut or wrap; fixtures from Debian 6.1 under qemu (README, "Issue 9").
const ooms = (a: Analysis): OomKillIncident[] => a.incidents.filter((i): i is OomKillIncident => i.kind === 'oom_kill');

test('a task table pasted without its header (grep -A4 from a row): rows read by their column count, unknown columns left out', async () => {
  const a = await analyzeFixtures(['qemu-6.1-oom-task-table-no-header-grep-A4.log']);
  const [o] = ooms(a);
  assert.equal(o.partial, true);
  const t = o.processTable!;
  assert.equal(t.headerless, true);
  // "[     97]     0    97    38033     1072    73728        0             0 rsyslogd" …
  assert.deepEqual(t.all.map((r) => [r.pid, r.comm, r.totalVmPages, r.rssPages, r.oomScoreAdj, r.pgtablesBytes, r.swapEntries]), [
    [97, 'rsyslogd', 38033, 1072, 0, null, null], [102, 'hog', 4357, 4240, 0, null, null], [103, 'hog', 12581, 12489, 0, null, null]]);
  assert.equal(t.sumRssPages, 1072 + 4240 + 12489);
  assert.deepEqual(t.columns, ['uid', 'tgid', 'total_vm', 'rss', '?', '?', 'oom_score_adj', 'name']);
});

test('task-table lines before an unrelated line are not taken by the next OOM', async () => {
  // The whole report: its table has a header and belongs to its own report; nothing is headerless.
  const a = await analyzeFixtures(['qemu-6.1-prefix-dmesg.log']);
  assert.ok(ooms(a).every((o) => !o.processTable?.headerless));
  assert.deepEqual(ooms(a).map((o) => o.processTable?.rows), [4, 3]);
});

for (const w of [72, 76]) {
  test(`mail-wrapped at ${w} columns (fold -s): task rows, Tainted: lines, the oom-kill: line cut mid-word and the oom.group line read as unwrapped`, async () => {
    const strip = (a: Analysis): unknown => JSON.parse(JSON.stringify(a.incidents, (k, v) =>
      ['line', 'endLine', 'input', 'memInfoLine'].includes(k) ? undefined : v));
    const wrapped = await analyzeFixtures([`qemu-6.1-mail-wrap-fold-s-w${w}.log`]);
    assert.deepEqual(strip(wrapped), strip(await analyzeFixtures(['qemu-6.1-prefix-dmesg.log'])));
    const [manual, group] = ooms(wrapped);
    assert.equal(manual.taskMemcg, '/');
    assert.deepEqual(group.victims.map((v) => v.pid), [110, 107, 108]);
    assert.equal(manual.processTable?.all.find((r) => r.pid === 103)?.comm, 'hog');
    assert.equal(wrapped.incidents[2].kind === 'rcu_stall' && wrapped.incidents[2].kernel.taint, 'G OE');
  });
}

test('kernel version borrowed from another report of the same boot when a paste starts after the CPU line; the taint is not', async () => {
  const a = await analyzeFixtures(['qemu-6.1-paste-from-oom-kill-line.log']);
  const [o] = ooms(a);
  assert.equal(o.partial, true);
  assert.deepEqual(o.kernel, { version: '6.1.0-53-amd64', taint: null, versionFromLine: 11 });
  // The RCU stall at line 11 has its own CPU line.
  assert.equal(a.incidents[1].kind === 'rcu_stall' && a.incidents[1].kernel.versionFromLine, undefined);
});

test('no version is borrowed across boots: a report later in the input with an earlier uptime is another boot', async () => {
  // Two real captures in one input: the cut 6.1 reports (uptime 7.04 s and 10.26 s, no CPU line),
  // then a 5.10 boot's whole OOM at 6.06 s: the uptime went back, so its version is not theirs.
  const text = readFixture('qemu-6.1-oom-header-cut-grep-A1.log') + readFixture('qemu-5.10-global-oom.dmesg.log');
  const o = ooms(await analyzeText(text));
  assert.deepEqual(o.map((i) => i.kernel.version), [null, null, '5.10.0-46-amd64']);
});

test('a paste that starts at the buddy lines: zones known from their free lists, watermarks unknown, totals and table read', async () => {
  const a = await analyzeFixtures(['qemu-6.1-paste-from-buddy-lines.log']);
  const [o] = ooms(a);
  assert.equal(o.line, 1);
  assert.equal(o.partial, true);
  // "Node 0 DMA: … = 15232kB", "Node 0 DMA32: … = 335164kB"; no "Node 0 DMA32 free:… min:…" line
  assert.deepEqual(o.zones.map((z) => [z.zone, z.buddy?.totalKb, z.freeKb, z.minKb, z.belowMin]), [
    ['DMA', 15232, null, null, null], ['DMA32', 335164, null, null, null]]);
  assert.equal(o.memInfoReport?.ramPages, 130942);
  assert.equal(o.processTable?.rows, 4);
  assert.equal(o.processTable?.headerless, false);
});

test('6.8+ task rows (rss_anon rss_file rss_shmem) pasted without their header: ten numbers, every column known', async () => {
  const a = await analyzeFixtures(['qemu-6.12-oom-task-table-no-header-grep-A6.log']);
  const t = ooms(a)[0].processTable!;
  assert.equal(t.headerless, true);
  // "[    141]     0   141     8469     8386     8224        0       162   106496        0             0 hog"
  assert.deepEqual(t.all.map((r) => [r.pid, r.totalVmPages, r.rssPages, r.rssAnonPages, r.rssFilePages, r.rssShmemPages, r.pgtablesBytes, r.swapEntries, r.oomScoreAdj]), [
    [141, 8469, 8386, 8224, 0, 162, 106496, 0, 0], [142, 16693, 16610, 16448, 0, 162, 172032, 0, 0],
    [143, 33141, 33058, 32896, 0, 162, 299008, 0, 0], [145, 49332, 48994, 48832, 0, 162, 434176, 0, 0]]);
});

test('hung-task reports mail-wrapped at 72 columns: the Tainted: line split in two still gives version and taint', async () => {
  const wrapped = await analyzeFixtures(['qemu-6.1-hung-task.mail-wrap-fold-s-w72.log']);
  const plain = await analyzeFixtures(['qemu-6.1-hung-task.dmesg.log']);
  const facts = (x: Analysis): unknown => x.incidents.map((i) => i.kind === 'hung_task' ? [i.comm, i.pid, i.seconds, i.state, i.kernel, i.callTrace.map((f) => f.fn)] : i.kind);
  assert.deepEqual(facts(wrapped), facts(plain));
  assert.deepEqual(wrapped.incidents.map((i) => i.kind === 'hung_task' && i.kernel.taint), ['G OE', 'G OE']);
});
