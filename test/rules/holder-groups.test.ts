import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze, type Finding } from '../../src/index.js';
import { hugepagePool } from '../../src/rules/hugepage-pool.js';
import { pageTableBloat } from '../../src/rules/page-table-bloat.js';
import { slabUnreclaimable } from '../../src/rules/slab-unreclaimable.js';
import { tmpfsShmem } from '../../src/rules/tmpfs-shmem.js';
import type { Rule } from '../../src/rules/types.js';
import { fixturePath } from '../helpers.js';

// Issue 10 item 4: global OOM kills where the same holder filled memory as much (same severity) are
// one finding per holder rule (util/holder-cause.ts). Real pairs: a 5.10 and a 6.1 guest filled by
// the same workload, one global OOM each.
const CASES: [Rule, string, string][] = [
  [slabUnreclaimable, 'slab-msgmsg', 'Kernel slab held as much at 2 OOM kills'],
  [hugepagePool, 'hugetlb-pool', 'The huge-page pool held as much at 2 OOM kills'],
  [tmpfsShmem, 'tmpfs-full', 'tmpfs and shared memory held as much at 2 OOM kills'],
  [pageTableBloat, 'pagetables-fork', 'Page tables held as much at 2 OOM kills'],
];

async function run(rule: Rule, names: string[], groupReports?: number): Promise<Finding[]> {
  const ruleOptions: Record<string, Record<string, number>> = groupReports == null ? {} : { [rule.meta.id]: { groupReports } };
  return (await analyze(names.map((n) => ({ path: fixturePath(n) })), { rules: [rule], ruleOptions })).findings;
}

for (const [rule, name, lead] of CASES) {
  const pair = [`qemu-5.10-${name}-oom.log`, `qemu-6.1-${name}-oom.log`];
  test(`${rule.meta.id}: two OOM kills the holder filled alike are one finding, the last in detail; 1 alone; apart from groupReports 3`, async () => {
    const [f, ...rest] = await run(rule, pair);
    assert.equal(rest.length, 0);
    const apart = await run(rule, pair, 3);
    assert.equal(apart.length, 2);
    assert.equal(f.title, `${apart[1].title} (the same at 2 OOM kills)`);
    assert.ok(f.explanation.startsWith(`${lead}, from `), f.explanation.slice(0, 80));
    assert.ok(f.explanation.endsWith(`The last of them: ${apart[1].explanation}`));
    assert.deepEqual(f.incidents, [0, 1]);
    const d = f.data as Record<string, unknown>;
    assert.deepEqual([d.reports, d.firstIncident, d.lastIncident], [2, 0, 1]);
    // The first report's header, then the last one's evidence.
    assert.equal(f.evidence[0].input, 0);
    assert.ok(f.evidence.slice(1).every((e) => e.input === 1));
    const one = await run(rule, pair.slice(1));
    assert.equal(one.length, 1);
    assert.doesNotMatch(one[0].title, /the same at/);
    assert.equal((one[0].data as Record<string, unknown>).reports, undefined);
  });
}

test('holder groups: different holders stay in their own rules, and another severity is another story', async () => {
  // slab at 91.7 % (critical) in both guests; with criticalShare 0.95 both are warnings, still one story.
  const warn = (await analyze(['qemu-5.10-slab-msgmsg-oom.log', 'qemu-6.1-slab-msgmsg-oom.log'].map((n) => ({ path: fixturePath(n) })),
    { rules: [slabUnreclaimable], ruleOptions: { 'slab-unreclaimable': { criticalShare: 0.95 } } })).findings;
  assert.deepEqual(warn.map((f) => [f.severity, f.incidents]), [['warning', [0, 1]]]);
  assert.deepEqual((await run(tmpfsShmem, ['qemu-5.10-slab-msgmsg-oom.log', 'qemu-6.1-slab-msgmsg-oom.log'])), []);
});
