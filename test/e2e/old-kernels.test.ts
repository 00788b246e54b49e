import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../src/rules/index.js';
import { analyzeFixtures } from '../helpers.js';

// What was done to each vanilla 2.6.32 / 3.10 / 4.4 guest (test/fixtures/README.md, "Old kernels
// built from source") is the ground truth the verdict must tell: copies of one hog filled RAM; a
// 32 MiB memory cgroup (memory.limit_in_bytes = 33554432) was filled; sysrq f was written; a module
// made GFP_ATOMIC order-9 requests until one failed on fragmentation.
const CASES: [string, RegExp, string[], string[]][] = [
  // file, verdict, rules that must fire, rules that must not
  ['qemu-2.6.32-global-oom-dump-tasks.log', /^4 instances of hog held .*Zone DMA32 fell below its min watermark/, ['zone-below-min', 'program-memory'], ['manual-oom', 'memcg-limit']],
  ['qemu-3.10-global-oom.log', /^4 instances of hog held .*Zone DMA32 fell below its min watermark/, ['zone-below-min', 'program-memory'], ['manual-oom', 'memcg-limit']],
  ['qemu-4.4-global-oom.log', /^4 instances of hog held .*Zone DMA32 fell below its min watermark/, ['zone-below-min', 'program-memory'], ['manual-oom', 'memcg-limit']],
  // 2.6.32 prints the whole machine's Mem-Info in a memcg OOM: plenty free, which must not be read as the cause.
  ['qemu-2.6.32-memcg-v1-oom.log', /^Memory cgroup \/mt hit its limit of 32768 kB/, ['memcg-limit'], ['zone-below-min', 'manual-oom']],
  ['qemu-3.10-memcg-v1-oom.log', /^Memory cgroup \/mt hit its limit of 32768 kB/, ['memcg-limit'], ['zone-below-min', 'manual-oom']],
  ['qemu-4.4-memcg-v1-oom.log', /^Memory cgroup \/mt hit its limit of 32768 kB/, ['memcg-limit'], ['zone-below-min', 'manual-oom']],
  ['qemu-2.6.32-sysrq-f.log', /^The OOM killer was run by hand \(sysrq f\)/, ['manual-oom'], ['zone-below-min', 'program-memory']],
  ['qemu-3.10-sysrq-f.log', /^The OOM killer was run by hand \(sysrq f\)/, ['manual-oom'], ['zone-below-min', 'program-memory']],
  ['qemu-4.4-sysrq-f.log', /^The OOM killer was run by hand \(order=-1, sysrq f\)/, ['manual-oom'], ['zone-below-min', 'program-memory']],
  ['qemu-2.6.32-page-alloc-failure-order9-atomic.log', /Order-9 request failed on fragmentation in DMA32/, ['fragmentation', 'alloc-failure-noretry'], ['zone-below-min']],
  ['qemu-3.10-page-alloc-failure-order9-atomic.log', /Order-9 request failed on fragmentation in DMA32/, ['fragmentation', 'alloc-failure-noretry', 'unaccounted-memory'], ['zone-below-min']],
  ['qemu-4.4-page-alloc-failure-order9-atomic.log', /Order-9 request failed on fragmentation in DMA32/, ['fragmentation', 'alloc-failure-noretry', 'unaccounted-memory'], ['zone-below-min']],
];

for (const [file, verdict, fire, silent] of CASES) {
  test(`old kernel, whole analysis: ${file}`, async () => {
    const a = await analyzeFixtures([file], RULES);
    const rules: string[] = a.findings.map((f) => f.rule);
    assert.match((a.verdict ?? '').replace(/\s+/g, ' '), verdict);
    for (const r of fire) assert.ok(rules.includes(r), `${r} fires (${rules})`);
    for (const r of silent) assert.ok(!rules.includes(r), `${r} stays silent (${rules})`);
    assert.deepEqual(a.problems.filter((p) => p.severity !== 'info'), []);
  });
}
