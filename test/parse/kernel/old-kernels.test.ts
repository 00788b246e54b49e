import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KernelIncident, OomKillIncident, PageAllocFailureIncident, SysrqIncident } from '../../../src/model/kernel-incidents.js';
import { decodeGfp } from '../../../src/parse/kernel/common/gfp/index.js';
import { analyzeFixtures } from '../../helpers.js';

// Real reports from vanilla 2.6.32.69, 3.10.105 and 4.4.155 kernels built from source and booted
// under qemu (test/fixtures/README.md, "Old kernels built from source"). The expected numbers are
// read off the raw console captures. The expected GFP names are not: these kernels print the mask
// bare, so they come from the call site that made each request in the kernel's own source:
//   - the hog's page fault: do_anonymous_page() → alloc_zeroed_user_highpage_movable(), which on
//     x86 is alloc_page_vma(GFP_HIGHUSER | __GFP_ZERO | __GFP_MOVABLE) (arch/x86/include/asm/page.h);
//   - a memcg charge: mem_cgroup_newpage_charge(…, GFP_KERNEL) (3.x) / mem_cgroup_try_charge(…, GFP_KERNEL) (4.4);
//   - sysrq f: moom_callback() passes GFP_KERNEL;
//   - the fixture module mtalloc: alloc_pages(GFP_ATOMIC, 9).
const incidents = async (f: string): Promise<KernelIncident[]> => (await analyzeFixtures([f])).incidents as KernelIncident[];
async function one<K extends KernelIncident['kind']>(f: string, kind: K): Promise<Extract<KernelIncident, { kind: K }>> {
  const all = (await incidents(f)).filter((i) => i.kind === kind);
  assert.equal(all.length, 1, `${f}: one ${kind} (${(await incidents(f)).map((i) => i.kind)})`);
  return all[0] as Extract<KernelIncident, { kind: K }>;
}

test('2.6.32 global OOM: Pid line, bare mask decoded with the 2.6 table, oom_adj header, "kill process … or a child"', async () => {
  const o: OomKillIncident = await one('qemu-2.6.32-global-oom.log', 'oom_kill');
  assert.deepEqual(o.kernel, { version: '2.6.32.69', taint: 'G W' });
  assert.deepEqual({ ...o.trigger, line: undefined }, {
    comm: 'hog', pid: 219, gfpMask: '0x280da', gfpFlags: ['GFP_HIGHUSER_MOVABLE', '__GFP_ZERO'], gfpFlagsDecoded: true,
    order: 0, oomScoreAdj: null, oomAdj: 0, nodemask: null, line: undefined,
  });
  // "Killed process 219 (hog)": 2.6.32 prints no sizes, and they are not made up.
  assert.deepEqual([o.victim.pid, o.victim.comm, o.victim.score, o.victim.anonRssKb, o.victim.totalVmKb], [219, 'hog', 6001, null, null]);
  assert.equal(o.outcome, 'kill');
  assert.equal(o.partial, false);
  assert.equal(o.manual, false);
  assert.equal(o.cgroupOom, false);
  // oom_dump_tasks was 0 by default before 2.6.36: no task table, and none invented.
  assert.equal(o.processTable, null);
  const dma = o.zones.find((z) => z.zone === 'DMA')!;
  const dma32 = o.zones.find((z) => z.zone === 'DMA32')!;
  assert.deepEqual([dma.freeKb, dma.minKb, dma.belowMin, dma.lowmemReservePages], [2036, 84, false, [0, 489, 489, 489]]);
  assert.deepEqual([dma32.freeKb, dma32.minKb, dma32.lowKb, dma32.highKb, dma32.belowMin], [2780, 2784, 3480, 4176, true]);
  assert.equal(dma32.counters.allUnreclaimable, 1, '"all_unreclaimable? yes" on the zone line');
  assert.deepEqual(dma32.buddy?.counts, [1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0]);
  assert.equal(dma32.buddy?.types.every((t) => t === null), true, '2.6.32 buddy lists carry no migrate types');
  assert.equal(o.memInfo?.activeAnonPages, 124084);
  assert.equal(o.memInfo?.freePages, 1204);
  assert.deepEqual([o.memInfoReport?.ramPages, o.memInfoReport?.reservedPages, o.memInfoReport?.totalPagecachePages], [131040, 2807, 5]);
  assert.equal(o.pageSizeKb, 4);
  assert.equal(o.callTrace[0].fn, 'oom_kill_process');
  assert.ok(o.callTrace.some((f) => f.fn === 'do_page_fault'));
});

test('2.6.32 with vm.oom_dump_tasks=1: the "cpu oom_adj" task table', async () => {
  const o = await one('qemu-2.6.32-global-oom-dump-tasks.log', 'oom_kill');
  const t = o.processTable!;
  assert.deepEqual(t.columns, ['uid', 'tgid', 'total_vm', 'rss', 'cpu', 'oom_adj', 'name']);
  assert.deepEqual(t.all.map((r) => [r.pid, r.comm, r.totalVmPages, r.rssPages, r.oomAdj, r.oomScoreAdj]),
    [[1, 'init', 282, 4, 0, null], [216, 'hog', 4378, 4100, 0, null], [217, 'hog', 8474, 8196, 0, null], [218, 'hog', 16666, 16388, 0, null], [219, 'hog', 96026, 95553, 0, null]]);
  assert.equal(t.sumRssPages, 4 + 4100 + 8196 + 16388 + 95553);
  assert.equal(o.victim.oomScoreAdj, null, 'a 2.6.32 row has oom_adj, not oom_score_adj');
});

test('2.6.32 task table pasted without its header (grep -A6): six numbers are uid tgid total_vm rss cpu oom_adj', async () => {
  const o = await one('qemu-2.6.32-oom-task-table-no-header-grep-A6.log', 'oom_kill');
  const t = o.processTable!;
  assert.equal(t.headerless, true);
  assert.deepEqual(t.all.map((r) => [r.pid, r.rssPages]), [[1, 4], [216, 4100], [217, 8196], [218, 16388], [219, 95553]]);
  assert.deepEqual([o.victim.pid, o.victim.score], [219, 6001]);
});

test('2.6.32 memcg OOM: global Mem-Info inside, "Memory cgroup out of memory: kill process", RESOURCE_MAX memsw limit', async () => {
  const o = await one('qemu-2.6.32-memcg-v1-oom.log', 'oom_kill');
  assert.equal(o.cgroupOom, true);
  assert.equal(o.memcg, '/mt');
  assert.deepEqual([o.trigger.gfpMask, o.trigger.gfpFlags], ['0xd0', ['GFP_KERNEL']]);
  const [mem, memsw] = o.memcgInfo!.counters;
  assert.deepEqual([mem.name, mem.usageKb, mem.limitKb, mem.failcnt], ['memory', 32768, 32768, 6]);
  assert.deepEqual([memsw.name, memsw.limitKb], ['memory+swap', 9007199254740991]);
  assert.deepEqual([o.victim.pid, o.victim.score], [216, 545]);
  // The zones are the whole machine's (plenty free): not the reason for this kill.
  assert.equal(o.zones.find((z) => z.zone === 'DMA32')?.freeKb, 453940);
});

test('2.6.32 page allocation failure: "failure. order:9, mode:0x20" (a dot, not a colon), GFP_ATOMIC from the 2.6 table', async () => {
  const f: PageAllocFailureIncident = await one('qemu-2.6.32-page-alloc-failure-order9-atomic.log', 'page_alloc_failure');
  assert.deepEqual([f.comm, f.pid, f.order, f.gfpMask, f.gfpFlags, f.gfpFlagsDecoded], ['init', 1, 9, '0x20', ['GFP_ATOMIC'], true]);
  assert.equal(f.kernel.version, '2.6.32.69');
  assert.ok(f.callTrace.some((x) => x.fn === 'mtalloc_init' && x.module === 'mtalloc'));
  assert.deepEqual(f.zones.map((z) => [z.zone, z.freeKb, z.buddy?.largestFreeOrder]), [['DMA', 3692, 9], ['DMA32', 9276, 8]]);
  assert.equal(f.memInfoReport?.ramPages, 131040);
});

test('2.6.32 Mem-Info pasted on its own (sed from "Mem-Info:"): its "DMA per-cpu:" headings do not end it', async () => {
  const all = (await analyzeFixtures(['qemu-2.6.32-paste-from-mem-info.log'])).incidents;
  assert.deepEqual(all.map((i) => i.kind), ['show_mem']);
  const m = all[0] as unknown as SysrqIncident;
  assert.deepEqual(m.zones.map((z) => [z.zone, z.freeKb, z.minKb]), [['DMA', 3692, 84], ['DMA32', 9276, 2784]]);
  assert.deepEqual([m.memInfo?.freePages, m.memInfoReport?.ramPages, m.memInfoReport?.reservedPages], [3242, 131040, 2807]);
  assert.equal(m.endLine, 22);
});

test('2.6.32 sysrq: "SysRq : Show Memory" with no "sysrq: " prefix; sysrq f is order 0 but manual (moom_callback)', async () => {
  const m: SysrqIncident = await one('qemu-2.6.32-sysrq-m.log', 'sysrq_show_mem');
  assert.equal(m.command, 'Show Memory');
  assert.deepEqual(m.zones.map((z) => [z.zone, z.freeKb]), [['DMA', 15980], ['DMA32', 477548]]);
  assert.equal(m.memInfo?.freePages, 123382);
  const o = await one('qemu-2.6.32-sysrq-f.log', 'oom_kill');
  assert.deepEqual([o.trigger.comm, o.trigger.order, o.trigger.gfpMask, o.trigger.gfpFlags], ['events/0', 0, '0xd0', ['GFP_KERNEL']]);
  assert.equal(o.manual, true);
  assert.deepEqual([o.victim.pid, o.victim.comm, o.victim.score], [217, 'hog', 273]);
});

test('the version picks the table: the same bare masks read by another generation give other names', () => {
  assert.notDeepEqual(decodeGfp('0x280da', '5.10.0'), ['GFP_HIGHUSER_MOVABLE', '__GFP_ZERO']);
  assert.notDeepEqual(decodeGfp('0x20', '4.4.155'), ['GFP_ATOMIC']);
  assert.notDeepEqual(decodeGfp('0xd0', '4.4.155'), ['GFP_KERNEL']);
});

test('4.4 global OOM: bare mask decoded with the 4.4 table, nr_ptes/nr_pmds task table, hugepages line', async () => {
  const o = await one('qemu-4.4-global-oom.log', 'oom_kill');
  assert.deepEqual(o.kernel, { version: '4.4.155', taint: null });
  assert.deepEqual({ ...o.trigger, line: undefined }, {
    comm: 'hog', pid: 30, gfpMask: '0x24280ca', gfpFlags: ['GFP_HIGHUSER_MOVABLE', '__GFP_ZERO'], gfpFlagsDecoded: true,
    order: 0, oomScoreAdj: 0, oomAdj: null, nodemask: null, line: undefined,
  });
  const v = o.victim;
  assert.deepEqual([v.pid, v.comm, v.score, v.totalVmKb, v.anonRssKb, v.fileRssKb, v.shmemRssKb, v.uid, v.oomScoreAdj], [30, 'hog', 735, 388260, 386272, 8, null, 0, 0]);
  const dma32 = o.zones.find((z) => z.zone === 'DMA32')!;
  assert.deepEqual([dma32.freeKb, dma32.minKb, dma32.belowMin, dma32.buddy?.largestFreeOrder], [2708, 2760, true, 8]);
  assert.deepEqual(dma32.buddy?.types.slice(0, 4), ['U', null, 'U', 'UM']);
  assert.deepEqual(o.memInfoReport?.hugepages.map((h) => [h.node, h.totalPages, h.sizeKb]), [[0, 0, 2048]]);
  assert.deepEqual([o.memInfoReport?.ramPages, o.memInfoReport?.reservedPages, o.memInfo?.freePages, o.memInfo?.freePcpPages], [130942, 3366, 1179, 33]);
  const t = o.processTable!;
  assert.deepEqual(t.columns, ['uid', 'tgid', 'total_vm', 'rss', 'nr_ptes', 'nr_pmds', 'swapents', 'oom_score_adj', 'name']);
  assert.deepEqual(t.all.map((r) => [r.pid, r.rssPages, r.nrPtes]), [[27, 4100, 11], [28, 8196, 19], [29, 16388, 35], [30, 96570, 192]]);
});

test('4.4 memcg v1 OOM: one-line "Memory cgroup stats for /mt:", GFP_KERNEL charge', async () => {
  const o = await one('qemu-4.4-memcg-v1-oom.log', 'oom_kill');
  assert.deepEqual([o.trigger.gfpMask, o.trigger.gfpFlags], ['0x24000c0', ['GFP_KERNEL']]);
  assert.deepEqual([o.cgroupOom, o.memcg], [true, '/mt']);
  assert.deepEqual(o.memcgInfo!.counters.map((c) => [c.name, c.usageKb, c.limitKb, c.failcnt]),
    [['memory', 32768, 32768, 8], ['memory+swap', 0, 9007199254740988, 0], ['kmem', 0, 9007199254740988, 0]]);
  assert.deepEqual([o.memcgInfo!.stats.rssKb, o.memcgInfo!.stats.activeAnonKb], [32768, 32756]);
  assert.deepEqual([o.victim.pid, o.victim.anonRssKb, o.victim.score], [27, 32772, 973]);
});

test('4.4 page allocation failure: mode 0x2080020 is GFP_ATOMIC in the 4.4 table', async () => {
  const f = await one('qemu-4.4-page-alloc-failure-order9-atomic.log', 'page_alloc_failure');
  assert.deepEqual([f.comm, f.pid, f.order, f.gfpMask, f.gfpFlags, f.gfpFlagsDecoded], ['init', 1, 9, '0x2080020', ['GFP_ATOMIC'], true]);
  assert.deepEqual(f.kernel, { version: '4.4.155', taint: 'G O' });
  assert.deepEqual(f.zones.map((z) => [z.zone, z.freeKb, z.buddy?.largestFreeOrder]), [['DMA', 3500, 8], ['DMA32', 11224, 8]]);
});

test('4.4 sysrq: "sysrq: SysRq : Show Memory"; sysrq f is order=-1 there', async () => {
  const m: SysrqIncident = await one('qemu-4.4-sysrq-m.log', 'sysrq_show_mem');
  assert.deepEqual([m.command, m.memInfo?.freePages], ['Show Memory', 123092]);
  const o = await one('qemu-4.4-sysrq-f.log', 'oom_kill');
  assert.deepEqual([o.trigger.comm, o.trigger.order, o.trigger.gfpFlags, o.manual], ['kworker/0:1', -1, ['GFP_KERNEL'], true]);
  assert.deepEqual([o.victim.pid, o.victim.anonRssKb], [27, 16392]);
});

test('2.6.32 booted with printk.time=0, raw and through rsyslog: indented continuation lines, same reading', async () => {
  const raw = await one('qemu-2.6.32-global-oom-no-printk-time.log', 'oom_kill');
  const sys = await one('qemu-2.6.32-global-oom-syslog-no-printk-time.log', 'oom_kill');
  for (const o of [raw, sys]) {
    assert.deepEqual([o.trigger.comm, o.trigger.pid, o.trigger.gfpFlags, o.kernel.version, o.victim.pid, o.victim.score, o.partial],
      ['hog', 219, ['GFP_HIGHUSER_MOVABLE', '__GFP_ZERO'], '2.6.32.69', 219, 6001, false]);
    assert.equal(o.uptimeSec, null, 'no clock in the lines');
    // " active_file:0 inactive_file:5 isolated_file:0" and " free:1202 …": continuation lines that begin with a space
    assert.deepEqual([o.memInfo?.activeFilePages, o.memInfo?.inactiveFilePages, o.memInfo?.freePages, o.memInfo?.slabUnreclaimablePages], [0, 5, 1202, 208]);
    assert.deepEqual(o.zones.map((z) => [z.zone, z.freeKb, z.minKb]), [['DMA', 2036, 84], ['DMA32', 2772, 2784]]);
    assert.equal(o.processTable?.rows, 5);
    assert.equal(o.callTrace.length, raw.callTrace.length);
  }
  assert.ok(sys.timeText?.startsWith('Dec  1') || sys.timeText?.startsWith('Dec 1'), String(sys.timeText));
});

test('3.10 global OOM: CPU line, 2.6 table for the bare mask, per-cpu blocks, (R) reserve blocks, nr_ptes table', async () => {
  const o = await one('qemu-3.10-global-oom.log', 'oom_kill');
  assert.deepEqual(o.kernel, { version: '3.10.105', taint: null });
  assert.deepEqual({ ...o.trigger, line: undefined }, {
    comm: 'hog', pid: 25, gfpMask: '0x280da', gfpFlags: ['GFP_HIGHUSER_MOVABLE', '__GFP_ZERO'], gfpFlagsDecoded: true,
    order: 0, oomScoreAdj: 0, oomAdj: null, nodemask: null, line: undefined,
  });
  const v = o.victim;
  assert.deepEqual([v.pid, v.score, v.totalVmKb, v.anonRssKb, v.fileRssKb, v.shmemRssKb], [25, 735, 388248, 386772, 8, null]);
  const dma = o.zones.find((z) => z.zone === 'DMA')!;
  const dma32 = o.zones.find((z) => z.zone === 'DMA32')!;
  assert.deepEqual([dma32.freeKb, dma32.minKb, dma32.belowMin], [2760, 2764, true]);
  assert.deepEqual(dma.buddy?.types.slice(0, 3), ['R', 'R', 'R'], 'MIGRATE_RESERVE blocks, printed as R before 4.4');
  assert.deepEqual([o.memInfoReport?.ramPages, o.memInfoReport?.reservedPages, o.memInfo?.freePages], [131039, 3258, 1193]);
  assert.deepEqual(o.processTable?.columns, ['uid', 'tgid', 'total_vm', 'rss', 'nr_ptes', 'swapents', 'oom_score_adj', 'name']);
  assert.deepEqual(o.processTable?.all.map((r) => [r.pid, r.rssPages, r.nrPtes]), [[22, 4100, 11], [23, 8196, 19], [24, 16388, 35], [25, 96695, 192]]);
  assert.ok(o.callTrace.some((f) => f.fn === 'handle_pte_fault'));
});

test('3.10 memcg v1 OOM: RESOURCE_MAX limits (9007199254740991kB) read as no limit', async () => {
  const a = await analyzeFixtures(['qemu-3.10-memcg-v1-oom.log']);
  const o = a.incidents[0] as OomKillIncident;
  assert.deepEqual([o.trigger.gfpMask, o.trigger.gfpFlags, o.cgroupOom, o.memcg], ['0xd0', ['GFP_KERNEL'], true, '/mt']);
  assert.deepEqual(o.memcgInfo!.counters.map((c) => [c.name, c.usageKb, c.limitKb, c.failcnt]),
    [['memory', 32768, 32768, 7], ['memory+swap', 0, 9007199254740991, 0], ['kmem', 0, 9007199254740991, 0]]);
  assert.deepEqual([o.memcgInfo!.stats.rssKb, o.memcgInfo!.stats.activeAnonKb], [32768, 32752]);
  assert.deepEqual([o.victim.pid, o.victim.anonRssKb, o.victim.score], [22, 32776, 972]);
});

test('3.10 page allocation failure: mode 0x20 is GFP_ATOMIC (2.6 table); this Mem-Info has no "pages RAM" lines', async () => {
  const f = await one('qemu-3.10-page-alloc-failure-order9-atomic.log', 'page_alloc_failure');
  assert.deepEqual([f.comm, f.pid, f.order, f.gfpMask, f.gfpFlags, f.gfpFlagsDecoded], ['init', 1, 9, '0x20', ['GFP_ATOMIC'], true]);
  assert.deepEqual(f.kernel, { version: '3.10.105', taint: 'G O' });
  assert.deepEqual(f.zones.map((z) => [z.zone, z.freeKb, z.buddy?.largestFreeOrder]), [['DMA', 3620, 9], ['DMA32', 9552, 8]]);
  assert.equal(f.memInfoReport?.ramPages, null);
  assert.equal(f.memInfoReport?.totalPagecachePages, 5);
});

test('3.10 sysrq: "SysRq : Show Memory"; sysrq f says order=0 but "Workqueue: events moom_callback" makes it manual', async () => {
  const m: SysrqIncident = await one('qemu-3.10-sysrq-m.log', 'sysrq_show_mem');
  assert.deepEqual([m.command, m.memInfo?.freePages, m.memInfoReport?.ramPages], ['Show Memory', 122717, 131039]);
  const o = await one('qemu-3.10-sysrq-f.log', 'oom_kill');
  assert.deepEqual([o.trigger.comm, o.trigger.order, o.trigger.gfpFlags, o.manual], ['kworker/0:1', 0, ['GFP_KERNEL'], true]);
  assert.ok(!o.callTrace.some((f) => f.fn === 'moom_callback'), 'no moom_callback frame in this trace: the Workqueue line tells');
  assert.deepEqual([o.victim.pid, o.victim.anonRssKb, o.victim.score], [22, 16392, 31]);
});
