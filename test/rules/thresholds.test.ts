import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze, type Finding } from '../../src/index.js';
import { RULES } from '../../src/rules/index.js';
import type { Rule, RuleOptions } from '../../src/rules/types.js';
import { sourcePath } from './run-rule.js';

/**
 * Every threshold on both sides of its boundary, like ESLint's RuleTester: each row runs one rule
 * on real fixtures with the option set exactly at the value the fixture measures (the rule must
 * take the "at" branch) and just past it (it must not). The measured values are worked out here
 * from the fixtures' own numbers, not read back from the rule.
 */
interface Row {
  rule: string;
  option: string;
  inputs: string[];
  /** Other options held fixed so that only this one decides. */
  fixed?: RuleOptions;
  at: number;
  past: number;
  /** Which branch the findings show. */
  branch: (fs: Finding[]) => string;
  atBranch: string;
  pastBranch: string;
}

const data = (f: Finding | undefined): Record<string, any> => (f?.data ?? {}) as Record<string, any>;
const figure = (fs: Finding[]) => (fs.some((f) => data(f).unaccountedKb != null) ? 'reported' : 'silent');
const sev = (fs: Finding[]) => fs.map((f) => f.severity).join(',') || 'silent';

// qemu-6.1 order-9 failure: (130942 − 13900) pages × 4 kB = 468168 kB managed, 427120 kB in no counter.
const modShare = 427120 / 468168; // 0.91232…
// seed 001 meminfo: MemTotal 63596320 kB, 35413640 kB in no counter.
const seedShare = 35413640 / 63596320; // 0.55685…
// The huge-page pool: 180 × 2048 kB of 468168 kB.
const poolShare = (180 * 2048) / 468168; // 0.78741…
// seed 002 busybox top: logd VSZ 2408 → 292m (299008 kB); RAM = 621420K used + 40336K free.
const logdDelta = 292 * 1024 - 2408;
const ram002 = 621420 + 40336;
// seed 004 kmem -i: COMMITTED 4495745 pages, COMMIT LIMIT 2021472, TOTAL MEM 4042945 (no swap).
const ofLimit = (100 * 4495745) / 2021472; // 222.39…
const ofBacking = Math.round((100 * 4495745) / 4042945); // 111

const ROWS: Row[] = [
  { rule: 'unaccounted-memory', option: 'reportShare', inputs: ['qemu-6.1-page-alloc-failure-order9-atomic.log'], at: 0.9123, past: 0.9124, branch: figure, atBranch: 'reported', pastBranch: 'silent' },
  { rule: 'unaccounted-memory', option: 'reportBigKb', inputs: ['seed001-5.10-meminfo.txt'], fixed: { reportShare: 1, reportBigShare: 0 }, at: 35413640, past: 35413641, branch: figure, atBranch: 'reported', pastBranch: 'silent' },
  { rule: 'unaccounted-memory', option: 'reportBigShare', inputs: ['seed001-5.10-meminfo.txt'], fixed: { reportShare: 1, reportBigKb: 0 }, at: Math.floor(seedShare * 1e4) / 1e4, past: Math.ceil(seedShare * 1e4) / 1e4, branch: figure, atBranch: 'reported', pastBranch: 'silent' },
  { rule: 'unaccounted-memory', option: 'criticalShare', inputs: ['qemu-6.1-page-alloc-failure-order9-atomic.log'], at: Math.floor(modShare * 1e4) / 1e4, past: Math.ceil(modShare * 1e4) / 1e4, branch: sev, atBranch: 'critical', pastBranch: 'warning' },
  { rule: 'unaccounted-memory', option: 'warningShare', inputs: ['qemu-6.1-page-alloc-failure-order9-atomic.log'], fixed: { criticalShare: 1 }, at: Math.floor(modShare * 1e4) / 1e4, past: Math.ceil(modShare * 1e4) / 1e4, branch: sev, atBranch: 'warning', pastBranch: 'info' },
  { rule: 'where-memory-went', option: 'dominantShare', inputs: ['qemu-6.1-hugetlb-pool-oom.log'], at: Math.floor(poolShare * 1e4) / 1e4, past: Math.ceil(poolShare * 1e4) / 1e4, branch: (fs) => (data(fs[0]).dominant ?? []).join() || 'silent', atBranch: 'hugetlb', pastBranch: 'silent' },
  { rule: 'where-memory-went', option: 'kernelWarningShare', inputs: ['qemu-6.1-hugetlb-pool-oom.log'], at: Math.floor(poolShare * 1e4) / 1e4, past: Math.ceil(poolShare * 1e4) / 1e4, branch: sev, atBranch: 'warning', pastBranch: 'info' },
  { rule: 'where-memory-went', option: 'programInstances', inputs: ['qemu-6.1-leak-instances-oom.log'], at: 9, past: 10, branch: (fs) => (/instances of leaker/.test(fs[0]?.title ?? '') ? 'program' : 'process'), atBranch: 'program', pastBranch: 'process' },
  // The big hog holds 107137 of the 107300 pages of the two rows named hog.
  { rule: 'where-memory-went', option: 'singleProcessShare', inputs: ['qemu-6.1-swap-full-oom.log'], at: Math.floor((107137 / 107300) * 1e4) / 1e4, past: Math.ceil((107137 / 107300) * 1e4) / 1e4, branch: (fs) => (/instances of hog/.test(fs[0]?.title ?? '') ? 'program' : 'process'), atBranch: 'process', pastBranch: 'program' },
  { rule: 'process-growth', option: 'minGrowthKb', inputs: ['seed002-4.9-top-busybox-normal.txt', 'seed002-4.9-top-busybox-abnormal.txt'], at: logdDelta, past: logdDelta + 1, branch: sev, atBranch: 'critical', pastBranch: 'silent' },
  { rule: 'process-growth', option: 'minFactor', inputs: ['seed002-4.9-top-busybox-normal.txt', 'seed002-4.9-top-busybox-abnormal.txt'], at: Math.floor((299008 / 2408) * 100) / 100, past: Math.ceil((299008 / 2408) * 100) / 100, branch: sev, atBranch: 'critical', pastBranch: 'silent' },
  { rule: 'process-growth', option: 'minRamShare', inputs: ['seed002-4.9-top-busybox-normal.txt', 'seed002-4.9-top-busybox-abnormal.txt'], at: Math.floor((logdDelta / ram002) * 1e4) / 1e4, past: Math.ceil((logdDelta / ram002) * 1e4) / 1e4, branch: sev, atBranch: 'critical', pastBranch: 'silent' },
  { rule: 'process-growth', option: 'criticalRamShare', inputs: ['seed002-4.9-top-busybox-normal.txt', 'seed002-4.9-top-busybox-abnormal.txt'], at: Math.floor((logdDelta / ram002) * 1e4) / 1e4, past: Math.ceil((logdDelta / ram002) * 1e4) / 1e4, branch: sev, atBranch: 'critical', pastBranch: 'warning' },
  { rule: 'overcommit', option: 'reportPercentOfLimit', inputs: ['seed004-3.10-crash-kmem-i.txt'], at: Math.floor(ofLimit * 100) / 100, past: Math.ceil(ofLimit * 100) / 100, branch: (fs) => (fs.length ? 'reported' : 'silent'), atBranch: 'reported', pastBranch: 'silent' },
  { rule: 'overcommit', option: 'warningPercentOfBacking', inputs: ['seed004-3.10-crash-kmem-i.txt'], at: ofBacking - 1, past: ofBacking, branch: sev, atBranch: 'warning', pastBranch: 'info' },
  // leaker: 8 × 10444 − 1 + 20344 = 103895 pages of a 109191-page task table, of 468168 kB managed.
  { rule: 'program-memory', option: 'tableShare', inputs: ['qemu-6.1-leak-instances-oom.log'], at: Math.floor((103895 / 109191) * 1e4) / 1e4, past: Math.ceil((103895 / 109191) * 1e4) / 1e4, branch: (fs) => (fs.length ? 'fires' : 'silent'), atBranch: 'fires', pastBranch: 'silent' },
  { rule: 'program-memory', option: 'ramShare', inputs: ['qemu-6.1-leak-instances-oom.log'], at: Math.floor(((103895 * 4) / 468168) * 1e4) / 1e4, past: Math.ceil(((103895 * 4) / 468168) * 1e4) / 1e4, branch: (fs) => (fs.length ? 'fires' : 'silent'), atBranch: 'fires', pastBranch: 'silent' },
  { rule: 'program-memory', option: 'instances', inputs: ['qemu-6.1-leak-instances-oom.log'], at: 9, past: 10, branch: (fs) => (/instances of leaker/.test(fs[0]?.title ?? '') ? 'program' : 'process'), atBranch: 'program', pastBranch: 'process' },
  { rule: 'program-memory', option: 'singleProcessShare', inputs: ['qemu-6.1-leak-instances-oom.log'], at: Math.floor((20344 / 103895) * 1e4) / 1e4, past: Math.ceil((20344 / 103895) * 1e4) / 1e4, branch: (fs) => (/instances of leaker/.test(fs[0]?.title ?? '') ? 'program' : 'process'), atBranch: 'process', pastBranch: 'program' },
  // The swap fixture's report: "Free swap  = 0kB", "Total swap = 49148kB"; the meminfo after the kill: 35944 of 49148 free.
  { rule: 'swap-state', option: 'fullFreeShare', inputs: ['qemu-6.1-swap-full.meminfo.txt'], at: Math.ceil((35944 / 49148) * 1e4) / 1e4, past: Math.floor((35944 / 49148) * 1e4) / 1e4, branch: sev, atBranch: 'warning', pastBranch: 'silent' },
  // Committed_AS 227644 of CommitLimit 234084 kB, with the hog's ENOMEM line and no sysctl.
  { rule: 'strict-overcommit', option: 'nearLimitShare', inputs: ['qemu-6.1-overcommit-strict.hog-stderr.txt', 'qemu-6.1-overcommit-strict.meminfo.txt'], at: Math.floor((227644 / 234084) * 1e4) / 1e4, past: Math.ceil((227644 / 234084) * 1e4) / 1e4, branch: (fs) => (fs.length ? 'fires' : 'silent'), atBranch: 'fires', pastBranch: 'silent' },
  // The 6.18 host's memcg v1 OOM prints workingset_refault_file 71.
  // Three kills of python3 in /mt-s2mem-flap, anon the holder each time: one finding from groupReports 3, one per kill past it.
  { rule: 'where-memory-went', option: 'groupReports', inputs: ['host-6.18-memcg-v1-oom-flapping.dmesg.log'], at: 3, past: 4, branch: (fs) => String(fs.length), atBranch: '1', pastBranch: '3' },
  // Three kills of python3 in /mt-s2mem-flap: grouped into one finding from groupKills 3, one per kill past it.
  { rule: 'memcg-limit', option: 'groupKills', inputs: ['host-6.18-memcg-v1-oom-flapping.dmesg.log'], at: 3, past: 4, branch: (fs) => String(fs.length), atBranch: '1', pastBranch: '3' },
  // Four global OOM kills of a restarted hog on 4.4 (the same four hogs held the memory, DMA32 below
  // min each time): one finding from groupReports 4, one per OOM past it.
  // A 2.6.32 and a 6.1 guest whose OOM reports both lack the "Node N hugepages_total" lines: one "cannot tell" from groupReports 2, two past it.
  { rule: 'unaccounted-memory', option: 'groupReports', inputs: ['qemu-2.6.32-global-oom.log', 'qemu-6.1-caller-global-oom.log'], at: 2, past: 3, branch: (fs) => String(fs.length), atBranch: '1', pastBranch: '2' },
  // sysrq f on a 4.4 and a 6.1 guest (order=-1 both): one manual-oom finding from groupReports 2, two past it.
  { rule: 'manual-oom', option: 'groupReports', inputs: ['qemu-4.4-sysrq-f.log', 'qemu-6.1-sysrq-f-manual-oom.log'], at: 2, past: 3, branch: (fs) => String(fs.length), atBranch: '1', pastBranch: '2' },
  // Three real guests without swap (5.10, 6.1, 6.12), one global OOM each: one finding from groupReports 3, one per OOM past it.
  { rule: 'swap-state', option: 'groupReports', inputs: ['qemu-5.10-global-oom.log', 'qemu-6.1-global-oom.log', 'qemu-6.12-global-oom.log'], at: 3, past: 4, branch: (fs) => String(fs.length), atBranch: '1', pastBranch: '3' },
  ...(['zone-below-min', 'program-memory', 'where-memory-went'] as const).map((rule): Row => ({ rule, option: 'groupReports', inputs: ['qemu-4.4-global-oom-flapping.log'], at: 4, past: 5, branch: (fs) => String(fs.length), atBranch: '1', pastBranch: '4' })),
  { rule: 'memcg-limit', option: 'thrashRefaults', inputs: ['host-6.18-memcg-v1-oom.dmesg.log'], at: 71, past: 72, branch: (fs) => (/71 page-cache refaults/.test(fs[0]?.explanation ?? '') ? 'thrash' : 'no'), atBranch: 'thrash', pastBranch: 'no' },
  // page-cache-thrash, seed 002 and 001: kswapd0 298.38 % (pidstat -u), top "83% io", mpstat iowait
  // 81.29/80.71/78.44, mmcblk0 %util 134.31 at 46352.94 rkB/s, top cached 121764K → 5136K; seed 001
  // MemAvailable 16240 kB, Cached 26580 + Buffers 852 kB of MemTotal 63596320 kB.
  ...thrash('kswapdCpuPercent', ['seed002-4.9-pidstat-u.txt', 'seed002-4.9-top-busybox-abnormal.txt'], 'kswapd-cpu', 298.38, 298.39),
  ...thrash('iowaitPercent', ['seed002-4.9-top-busybox-abnormal.txt'], 'iowait-top-0', 83, 84),
  ...thrash('iowaitPercent', ['seed002-4.9-mpstat.txt', 'seed002-4.9-top-busybox-abnormal.txt'], 'iowait-mpstat', 78.44, 78.45),
  ...thrash('diskUtilPercent', ['seed002-4.9-iostat-x.txt', 'seed002-4.9-top-busybox-abnormal.txt'], 'disk-reads', 134.31, 134.32),
  ...thrash('memAvailableShare', ['seed001-5.10-meminfo.txt', 'seed001-5.10-pagecache-residency.txt'], 'memavailable', Math.ceil((16240 / 63596320) * 1e6) / 1e6, Math.floor((16240 / 63596320) * 1e6) / 1e6),
  ...thrash('cacheShare', ['seed001-5.10-meminfo.txt', 'seed001-5.10-pagecache-residency.txt'], 'cache-small', Math.ceil((27432 / 63596320) * 1e6) / 1e6, Math.floor((27432 / 63596320) * 1e6) / 1e6),
  ...thrash('spareShare', ['seed001-5.10-meminfo.txt', 'seed001-5.10-pagecache-residency.txt'], 'cache-small', Math.ceil((16240 / 63596320) * 1e6) / 1e6, Math.floor((16240 / 63596320) * 1e6) / 1e6),
  // qemu 6.1: a cgroup re-reading a 48 MiB file through a 24 MiB limit while a loop appends and syncs a
  // log: vda read 135514.43 kB/s against 19.90 kB/s written in the last interval (the highest ratio of
  // the three; %util 41–49, so diskUtilPercent is held at 0 and only the ratio decides).
  ...thrash('readWriteRatio', ['qemu-6.1-iostat-x-cgroup-reread.txt', 'seed002-4.9-top-busybox-abnormal.txt'], 'disk-reads', Math.floor((135514.43 / 19.9) * 100) / 100, Math.ceil((135514.43 / 19.9) * 100) / 100, { diskUtilPercent: 0 }),
  // systemd-logind, dbus-daemon, systemd-udevd and NetworkManager are 0 % cached: any positive threshold finds them.
  ...thrash('evictedPercent', ['seed001-5.10-meminfo.txt', 'seed001-5.10-pagecache-residency.txt'], 'residency', 0.001, 0),
  ...thrash('cacheCollapseShare', ['seed002-4.9-top-busybox-normal.txt', 'seed002-4.9-top-busybox-abnormal.txt'], 'cache-collapse', Math.ceil((5136 / 121764) * 1e4) / 1e4, Math.floor((5136 / 121764) * 1e4) / 1e4),
  // seed 000's order-2 failure: Normal free 1044152 kB against min 1042948 kB, 1204 kB above.
  { rule: 'zone-below-min', option: 'atMinShare', inputs: ['seed000-4.15-page-alloc-failure.log', 'seed000-4.15-meminfo-after-failure.log'], at: Math.ceil((1204 / 1042948) * 1e5) / 1e5, past: Math.floor((1204 / 1042948) * 1e5) / 1e5, branch: (fs) => (fs.length ? String(data(fs[0]).level) : 'silent'), atBranch: 'at-min', pastBranch: 'silent' },
  // seed 004: FREE 20622 of TOTAL MEM 4042945 pages, ps stuck in __alloc_pages_nodemask.
  { rule: 'min-free-kbytes', option: 'crashFreeShare', inputs: ['seed004-3.10-crash-kmem-i.txt', 'seed004-3.10-crash-bt-ps-owner.txt'], at: Math.ceil((20622 / 4042945) * 1e4) / 1e4, past: Math.floor((20622 / 4042945) * 1e4) / 1e4, branch: (fs) => (fs.length ? 'advice' : 'silent'), atBranch: 'advice', pastBranch: 'silent' },
  // Two global OOM reports with a zone below min (qemu 6.1: DMA32 2352 < 2608 kB, and the huge-page run).
  { rule: 'min-free-kbytes', option: 'minLowReports', inputs: ['qemu-6.1-global-oom.log', 'qemu-6.1-hugetlb-pool-oom.log'], at: 2, past: 3, branch: (fs) => (fs.length ? 'advice' : 'silent'), atBranch: 'advice', pastBranch: 'silent' },
  // seed 001 meminfo + slabtop: 35413640 of 63596320 kB matched to nvidia_pte_cache.
  { rule: 'driver-suspect', option: 'criticalShare', inputs: ['seed001-5.10-meminfo.txt', 'seed001-5.10-slabtop.txt'], at: Math.floor(seedShare * 1e4) / 1e4, past: Math.ceil(seedShare * 1e4) / 1e4, branch: sev, atBranch: 'critical', pastBranch: 'warning' },
  // Two memcg v1 OOM kills of python3 on the 6.18 host (journal of both reports).
  { rule: 'repeated-oom-victim', option: 'minKills', inputs: ['host-6.18-memcg-v1-oom-both.journal-short.log'], at: 2, past: 3, branch: (fs) => (fs.length ? 'reported' : 'silent'), atBranch: 'reported', pastBranch: 'silent' },
  // qemu 6.1 sysrq w: 7 dd waiting in rwsem_down_write_slowpath, one in memcg reclaim (reclaim_throttle).
  { rule: 'lock-convoy', option: 'minWaiters', inputs: ['qemu-6.1-sysrq-w-inode-lock-convoy-memcg.log'], at: 7, past: 8, branch: (fs) => (fs.length ? 'convoy' : 'silent'), atBranch: 'convoy', pastBranch: 'silent' },
  // seed 004: signal_struct.oom_score_adj_min = -998; crash counted 760 tasks in UN state.
  { rule: 'unkillable-task', option: 'protectedAdj', inputs: ['seed004-3.10-crash-oom-score-adj-min.txt'], at: -998, past: -999, branch: (fs) => (fs.some((f) => /protected/.test(f.title)) ? 'protected' : 'none'), atBranch: 'protected', pastBranch: 'none' },
  { rule: 'unkillable-task', option: 'warningStuck', inputs: ['seed004-3.10-crash-ps-un.txt'], at: 760, past: 761, branch: (fs) => fs.find((f) => /stuck in D/.test(f.title))?.severity ?? 'none', atBranch: 'warning', pastBranch: 'info' },
  // nvidia_pte_cache: 8650926 objects × one 4 KiB page = 34603704 kB against 35413640 kB missing.
  ...(['strongRatio', 'partialRatio', 'exceedsRatio'] as const).map((option): Row => {
    const r = (8650926 * 4) / 35413640;
    const lo = Math.floor(r * 1e4) / 1e4; const hi = Math.ceil(r * 1e4) / 1e4;
    const match = (fs: Finding[]) => String(data(fs[0]).match);
    if (option === 'strongRatio') return { rule: 'driver-suspect', option, inputs: ['seed001-5.10-meminfo.txt', 'seed001-5.10-slabtop.txt'], at: lo, past: hi, branch: match, atBranch: 'strong', pastBranch: 'partial' };
    if (option === 'partialRatio') return { rule: 'driver-suspect', option, inputs: ['seed001-5.10-meminfo.txt', 'seed001-5.10-slabtop.txt'], fixed: { strongRatio: 1 }, at: lo, past: hi, branch: match, atBranch: 'partial', pastBranch: 'weak' };
    return { rule: 'driver-suspect', option, inputs: ['seed001-5.10-meminfo.txt', 'seed001-5.10-slabtop.txt'], at: hi, past: lo, branch: match, atBranch: 'strong', pastBranch: 'exceeds' };
  }),
  ...holderRows('hugepage-pool', 'qemu-6.1-hugetlb-pool-oom.log', (180 * 2048) / 468168),
  ...holderRows('tmpfs-shmem', 'qemu-6.1-tmpfs-full-oom.log', (107242 * 4) / 468168),
  ...holderRows('page-table-bloat', 'qemu-6.1-pagetables-fork-oom.log', (103171 * 4) / 468168),
  ...holderRows('slab-unreclaimable', 'qemu-6.1-slab-msgmsg-oom.log', (107366 * 4) / 468168),
  // The same holder filled a 5.10 and a 6.1 guest (one global OOM each, critical both times): one finding from groupReports 2, two past it.
  ...([['slab-unreclaimable', 'slab-msgmsg'], ['hugepage-pool', 'hugetlb-pool'], ['tmpfs-shmem', 'tmpfs-full'], ['page-table-bloat', 'pagetables-fork']] as const).map(([rule, name]): Row => ({ rule, option: 'groupReports', inputs: [`qemu-5.10-${name}-oom.log`, `qemu-6.1-${name}-oom.log`], at: 2, past: 3, branch: (fs) => String(fs.length), atBranch: '1', pastBranch: '2' })),
];

/** page-cache-thrash: whether one signal is among the finding's, with the option at and past the fixture's value. */
function thrash(option: string, inputs: string[], signal: string, at: number, past: number, fixed?: RuleOptions): Row[] {
  const has = (fs: Finding[]) => ((data(fs[0]).signals ?? []) as string[]).includes(signal) ? 'signal' : 'none';
  return [{ rule: 'page-cache-thrash', option, inputs, fixed, at, past, branch: has, atBranch: 'signal', pastBranch: 'none' }];
}

/** The two shares of a holder rule, at the share its fixture measures (its pages × 4 kB of 468168 kB managed). */
function holderRows(rule: string, fixture: string, share: number): Row[] {
  const at = Math.floor(share * 1e4) / 1e4;
  const past = Math.ceil(share * 1e4) / 1e4;
  return [
    { rule, option: 'criticalShare', inputs: [fixture], at, past, branch: sev, atBranch: 'critical', pastBranch: 'warning' },
    { rule, option: 'warningShare', inputs: [fixture], fixed: { criticalShare: 1 }, at, past, branch: sev, atBranch: 'warning', pastBranch: 'silent' },
  ];
}

/** Every option of every rule, with the default the rule must keep. Changing a constant fails here. */
const DEFAULTS: Record<string, RuleOptions> = {
  'unaccounted-memory': { reportShare: 0.1, reportBigKb: 1048576, reportBigShare: 0.01, warningShare: 0.1, criticalShare: 0.25, groupReports: 2 },
  'where-memory-went': { dominantShare: 0.3, kernelWarningShare: 0.3, programInstances: 2, singleProcessShare: 0.8, groupReports: 2 },
  'process-growth': { minGrowthKb: 32768, minFactor: 1.5, minRamShare: 0.05, criticalRamShare: 0.25 },
  overcommit: { reportPercentOfLimit: 100, warningPercentOfBacking: 100 },
  'lock-convoy': { minWaiters: 5 },
  'hugepage-pool': { warningShare: 0.25, criticalShare: 0.5, groupReports: 2 },
  'swap-state': { fullFreeShare: 0.05, groupReports: 2 },
  'manual-oom': { groupReports: 2 },
  'repeated-oom-victim': { minKills: 2 },
  'unkillable-task': { protectedAdj: -998, warningStuck: 10 },
  'zone-below-min': { atMinShare: 0.01, groupReports: 2 },
  'min-free-kbytes': { minLowReports: 2, crashFreeShare: 0.01 },
  'driver-suspect': { criticalShare: 0.25, strongRatio: 0.75, partialRatio: 0.3, exceedsRatio: 1.15 },
  'page-cache-thrash': { kswapdCpuPercent: 20, iowaitPercent: 30, diskUtilPercent: 50, readWriteRatio: 10, memAvailableShare: 0.05, spareShare: 0.1, cacheShare: 0.02, evictedPercent: 10, cacheCollapseShare: 0.25 },
  'memcg-limit': { thrashRefaults: 10000, groupKills: 2 },
  'strict-overcommit': { nearLimitShare: 0.9 },
  'program-memory': { tableShare: 0.5, ramShare: 0.3, instances: 2, singleProcessShare: 0.8, groupReports: 2 },
  'tmpfs-shmem': { warningShare: 0.25, criticalShare: 0.5, groupReports: 2 },
  'page-table-bloat': { warningShare: 0.1, criticalShare: 0.3, groupReports: 2 },
  'slab-unreclaimable': { warningShare: 0.25, criticalShare: 0.5, groupReports: 2 },
};

const ruleById = (id: string): Rule => RULES.find((r) => r.meta.id === id)!;
async function run(row: Row, value: number): Promise<Finding[]> {
  const rule = ruleById(row.rule);
  const a = await analyze(row.inputs.map((n) => ({ path: sourcePath(n)! })), { rules: [rule], ruleOptions: { [row.rule]: { ...row.fixed, [row.option]: value } } });
  return a.findings;
}

for (const row of ROWS) {
  test(`${row.rule}.${row.option}: ${row.at} → ${row.atBranch}, ${row.past} → ${row.pastBranch} (${row.inputs.join(' + ')})`, async () => {
    assert.ok(row.at !== row.past);
    assert.equal(row.branch(await run(row, row.at)), row.atBranch);
    assert.equal(row.branch(await run(row, row.past)), row.pastBranch);
  });
}

test('every option of every rule has its default pinned here, and a boundary row where a real fixture allows one', () => {
  const seen: Record<string, RuleOptions> = {};
  for (const r of RULES) {
    if (!r.meta.options) continue;
    seen[r.meta.id] = Object.fromEntries(Object.entries(r.meta.options).map(([k, o]) => [k, o.default]));
  }
  assert.deepEqual(seen, DEFAULTS);
  for (const [id, opts] of Object.entries(DEFAULTS)) {
    for (const k of Object.keys(opts)) {
      assert.ok(ROWS.some((r) => r.rule === id && r.option === k), `no boundary row for ${id}.${k}`);
    }
  }
});

test('an unknown option name is refused, not ignored', async () => {
  await assert.rejects(() => analyze([{ path: sourcePath('seed001-5.10-meminfo.txt')! }], { rules: [ruleById('unaccounted-memory')], ruleOptions: { 'unaccounted-memory': { nope: 1 } } }).then((a) => { throw new Error(a.findings[0]?.explanation); }), /no option "nope"/);
});
