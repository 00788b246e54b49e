import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OomKillIncident } from '../../../../src/model/kernel-incidents.js';
import { analyzeFixtures, analyzeText, readFixture, seedPath } from '../../../helpers.js';
import { analyze } from '../../../../src/index.js';

const ooms = (xs: { kind: string }[]): OomKillIncident[] => xs.filter((x): x is OomKillIncident => x.kind === 'oom_kill');

test('seed 003 (4.9, folded into one line): every field of the JSON contract', async () => {
  const [o] = ooms((await analyzeFixtures(['seed003-4.9-oom-folded-one-line.log'])).incidents);
  assert.deepEqual(o.kernel, { version: '4.9.0-4-amd64', taint: null });
  assert.deepEqual({ ...o.trigger, line: undefined }, { comm: 'tor', pid: 1439, gfpMask: '0x24201ca', gfpFlags: ['GFP_HIGHUSER_MOVABLE', '__GFP_COLD'], order: 0, oomScoreAdj: 0, oomAdj: null, nodemask: '0', line: undefined });
  assert.equal(o.constraint, null);
  assert.equal(o.memcg, null);
  assert.equal(o.uptimeSec, 53542.948247);
  assert.equal(o.time, null, 'syslog line without a year and no other dated line');
  assert.equal(o.timeText, 'Jan 4 10:04:40');
  const v = o.victim;
  assert.deepEqual([v.pid, v.comm, v.totalVmKb, v.anonRssKb, v.fileRssKb, v.shmemRssKb, v.score, v.oomScoreAdj, v.uid], [1439, 'tor', 557104, 374956, 0, 0, 368, 0, 109]);
  assert.deepEqual(v.reaped && [v.reaped.anonRssKb, v.reaped.fileRssKb], [0, 0]);
  assert.equal(o.memInfo?.activeAnonPages, 125187);
  assert.equal(o.memInfo?.freePages, 12103);
  assert.equal(o.memInfo?.slabUnreclaimablePages, 11348);
  assert.equal(o.pageSizeKb, 4);
  const dma32 = o.zones.find((z) => z.zone === 'DMA32')!;
  assert.deepEqual([dma32.node, dma32.freeKb, dma32.minKb, dma32.lowKb, dma32.highKb, dma32.managedKb, dma32.belowMin], [0, 44288, 44336, 55420, 66504, 1004452, true]);
  assert.deepEqual(dma32.buddy?.counts, [2150, 2083, 1189, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(dma32.buddy?.largestFreeOrder, 2);
  assert.deepEqual(o.zones.find((z) => z.zone === 'DMA')!.lowmemReservePages, [0, 959, 959, 959, 959]);
  assert.equal(o.processTable?.rows, 14);
  assert.equal(o.processTable?.sumRssPages, 135917);
  assert.deepEqual(o.processTable?.top[0], { pid: 1439, comm: 'tor', rssPages: 93739, oomScoreAdj: 0 });
  assert.equal(o.memInfoReport?.ramPages, 262010);
  assert.equal(o.memInfoReport?.reservedPages, 6920);
  assert.ok(o.callTrace.some((f) => f.fn === 'virtballoon_oom_notify' && f.module === 'virtio_balloon'));
  assert.equal(o.partial, false);
});

test('the whole seed 003 article still yields exactly that one OOM kill', { skip: seedPath('003') ? false : 'the seeds are not beside the repo (../shared/seeds)' }, async () => {
  const a = await analyze([{ path: seedPath('003')! }], { rules: [] });
  assert.deepEqual(ooms(a.incidents).map((o) => [o.victim.pid, o.victim.anonRssKb]), [[1439, 374956]]);
});

test('6.18 memcg v1 OOM from this machine: constraint, memcg, limits, rss_* columns, page size from rss', async () => {
  const [o] = ooms((await analyzeFixtures(['host-6.18-memcg-v1-oom.dmesg.log'])).incidents);
  assert.equal(o.constraint, 'CONSTRAINT_MEMCG');
  assert.equal(o.memcg, '/mt-fixture');
  assert.equal(o.cgroupOom, true);
  assert.equal(o.trigger.gfpMask, '0xcc0');
  assert.deepEqual(o.trigger.gfpFlags, ['GFP_KERNEL']);
  assert.equal(o.kernel.version, '6.18.44-fc-v782');
  const mem = o.memcgInfo!.counters.find((c) => c.name === 'memory')!;
  assert.equal(mem.limitKb, 65536);
  assert.deepEqual(o.zones, []);
  assert.equal(o.memInfo, null);
  assert.ok(o.processTable!.columns.includes('rss_anon'));
  const row = o.processTable!.all.find((r) => r.pid === 2822)!;
  assert.equal(row.rssAnonPages, 16320);
  assert.equal(o.pageSizeKb, 4, '65280 kB anon-rss over 16320 rss_anon pages');
  assert.equal(o.victim.pgtablesKb, 188);
});

test('seed 000: the header-less syslog excerpt is read, marked partial, with its reaper line', async () => {
  const a = await analyzeFixtures(['seed000-4.15-oom-kill-syslog.log']);
  const [o] = ooms(a.incidents);
  assert.deepEqual([o.victim.pid, o.victim.anonRssKb, o.victim.fileRssKb, o.victim.score], [58870, 201982792, 17192, 376]);
  assert.equal(o.victim.reaped?.anonRssKb, 0);
  assert.equal(o.partial, true);
  assert.equal(a.problems.length, 1);
});

test('a report cut off before its Killed line is partial, with the line where it stopped', async () => {
  const text = readFixture('host-6.18-memcg-v1-oom-multi.dmesg.log');
  const cut = text.slice(0, text.lastIndexOf('\n', text.lastIndexOf('Tasks state')) + 1); // ends after the memcg stats
  const a = await analyzeText(cut);
  const last = ooms(a.incidents).at(-1)!;
  assert.equal(last.partial, true);
  assert.equal(last.trigger.pid, 3006);
  assert.equal(last.victim.pid, null);
  const p = a.problems.find((x) => /without its "Killed process" line/.test(x.message))!;
  assert.equal(p.line, cut.trimEnd().split('\n').length);
});
