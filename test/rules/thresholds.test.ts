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
  ...holderRows('hugepage-pool', 'qemu-6.1-hugetlb-pool-oom.log', (180 * 2048) / 468168),
  ...holderRows('tmpfs-shmem', 'qemu-6.1-tmpfs-full-oom.log', (107242 * 4) / 468168),
  ...holderRows('page-table-bloat', 'qemu-6.1-pagetables-fork-oom.log', (103171 * 4) / 468168),
  ...holderRows('slab-unreclaimable', 'qemu-6.1-slab-msgmsg-oom.log', (107366 * 4) / 468168),
];

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
  'unaccounted-memory': { reportShare: 0.1, reportBigKb: 1048576, reportBigShare: 0.01, warningShare: 0.1, criticalShare: 0.25 },
  'where-memory-went': { dominantShare: 0.3, kernelWarningShare: 0.3, programInstances: 2, singleProcessShare: 0.8 },
  'process-growth': { minGrowthKb: 32768, minFactor: 1.5, minRamShare: 0.05, criticalRamShare: 0.25 },
  overcommit: { reportPercentOfLimit: 100, warningPercentOfBacking: 100 },
  'lock-convoy': { minWaiters: 5 },
  'hugepage-pool': { warningShare: 0.25, criticalShare: 0.5 },
  'swap-state': { fullFreeShare: 0.05 },
  'strict-overcommit': { nearLimitShare: 0.9 },
  'program-memory': { tableShare: 0.5, ramShare: 0.3, instances: 2, singleProcessShare: 0.8 },
  'tmpfs-shmem': { warningShare: 0.25, criticalShare: 0.5 },
  'page-table-bloat': { warningShare: 0.1, criticalShare: 0.3 },
  'slab-unreclaimable': { warningShare: 0.25, criticalShare: 0.5 },
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
  // lock-convoy.minWaiters: no real stack dump of a convoy without a crash dump exists yet.
  const untested = new Set(['lock-convoy.minWaiters']);
  for (const [id, opts] of Object.entries(DEFAULTS)) {
    for (const k of Object.keys(opts)) {
      if (untested.has(`${id}.${k}`)) continue;
      assert.ok(ROWS.some((r) => r.rule === id && r.option === k), `no boundary row for ${id}.${k}`);
    }
  }
});

test('an unknown option name is refused, not ignored', async () => {
  await assert.rejects(() => analyze([{ path: sourcePath('seed001-5.10-meminfo.txt')! }], { rules: [ruleById('unaccounted-memory')], ruleOptions: { 'unaccounted-memory': { nope: 1 } } }).then((a) => { throw new Error(a.findings[0]?.explanation); }), /no option "nope"/);
});
