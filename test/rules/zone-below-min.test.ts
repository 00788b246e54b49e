import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zoneBelowMin } from '../../src/rules/zone-below-min.js';
import { available, evidenceText, only, runRule } from './run-rule.js';

const fires: { inputs: string[]; zone: string; level: string; freeKb: number; minKb: number; marginKb: number; says: string[] }[] = [
  // Seed 003: order 0, DMA32 below min; the answer online blamed fragmentation.
  { inputs: ['seed003-4.9-oom-folded-one-line.log'], zone: 'DMA32', level: 'below-min', freeKb: 44288, minKb: 44336, marginKb: -48,
    says: ['free 44288 kB (43.3 MiB) < min 44336 kB (43.3 MiB) (48 kB short)', 'fragmentation cannot be the cause', 'largest free block was order 2 (16 kB)', 'could use 288 kB, 428 kB short of min 716 kB'] },
  { inputs: ['seed:003'], zone: 'DMA32', level: 'below-min', freeKb: 44288, minKb: 44336, marginKb: -48, says: ['fragmentation cannot be the cause'] },
  // Seed 000: order 2 in nvidia_uvm; Normal at min, DMA32's 2 GiB free is all lowmem_reserve.
  { inputs: ['seed:000'], zone: 'Normal', level: 'at-min', freeKb: 1044152, minKb: 1042948, marginKb: 1204,
    says: ['at the min watermark (1204 kB above, 0.12 %)', 'Normal 947680 kB', 'failed on the watermark, not on fragmentation', 'could use 1840 kB (1.8 MiB), 3588 kB short of min 5428 kB', 'lowmem_reserve: 513232 pages'] },
];

for (const c of fires) {
  test(`fires on ${c.inputs.join(' + ')}: ${c.zone} ${c.level}`, { skip: !available(c.inputs) && 'seeds not beside the repo' }, async () => {
    const f = await only(zoneBelowMin, c.inputs);
    assert.equal(f.severity, 'critical');
    const d = f.data as Record<string, unknown>;
    assert.deepEqual([d.zone, d.level, d.freeKb, d.minKb, d.marginKb], [c.zone, c.level, c.freeKb, c.minKb, c.marginKb]);
    for (const s of c.says) assert.ok(f.explanation.includes(s), `explanation lacks "${s}":\n${f.explanation}`);
    assert.match(evidenceText(f), new RegExp(`Node 0 ${c.zone} free:${c.freeKb}kB min:${c.minKb}kB`));
  });
}

test('seed 000: lowmem_reserve per zone for a GFP_KERNEL request (class zone Normal)', { skip: !available(['seed:000']) && 'no seeds' }, async () => {
  const f = await only(zoneBelowMin, ['seed:000']);
  const zones = (f.data as { zones: { zone: string; reservePages: number; reserveKb: number; usableFreeKb: number; level: string }[] }).zones;
  assert.deepEqual(zones.map((z) => [z.zone, z.reservePages, z.reserveKb, z.usableFreeKb, z.level]), [
    ['DMA', 515783, 2063132, 15884 - 2063132, 'below-min'],
    ['DMA32', 513232, 2052928, 1840, 'below-min'],
    ['Normal', 0, 0, 1044152, 'at-min'],
  ]);
  assert.match(evidenceText(f), /lowmem_reserve\[\]: 0 0 513232 513232 513232/);
});

// No zone lines: memcg OOMs print no Mem-Info, the seed000 OOM is a tail, the excerpt is no report.
const silent = [
  ['host-6.18-memcg-v1-oom.dmesg.log'], ['host-6.18-memcg-v1-oom-multi.kmsg.log'], ['host-6.18-hung-task-fuse.dmesg.log'],
  ['seed000-4.15-oom-kill-syslog.log'], ['seed000-4.15-page-alloc-failure.log'], ['seed003-4.9-dma32-zone-excerpt.log'],
  ['host-6.18-zoneinfo.txt'], ['host-6.18-buddyinfo.txt'], ['seed:002'], ['seed:004'],
];
for (const inputs of silent) {
  test(`silent on ${inputs.join(' + ')}`, { skip: !available(inputs) && 'no seeds' }, async () => {
    assert.deepEqual((await runRule(zoneBelowMin, inputs)).findings, []);
  });
}

// Item 4 of issue 7: free memory this request may not use. arm64 guest booted with cma=256M; a
// GFP_KERNEL request (SysV message buffers) found 253440 kB free in DMA, 62598 pages of it CMA.
test('unmovable request: the free CMA pages are not usable, and that is what put DMA below min', async () => {
  const { findings } = await runRule(zoneBelowMin, ['qemu-6.1-arm64-cma-unmovable-oom.log']);
  assert.equal(findings.length, 1);
  const f = findings[0];
  const z = (f.data as any).zones[0];
  assert.deepEqual([z.zone, z.freeKb, z.unusableCmaKb, z.usableFreeKb, z.minKb, z.level], ['DMA', 253440, 62598 * 4, 253440 - 62598 * 4, 4812, 'below-min']);
  assert.equal(f.title, 'Zone DMA fell below its min watermark (1764 kB short): 244.5 MiB of its 247.5 MiB free was CMA, which this unmovable request may not use');
  assert.match(f.explanation, /250392 kB \(244\.5 MiB\) was CMA, which this unmovable request may not use/);
});

test('movable request on the same kind of guest: CMA pages count as usable', async () => {
  const { findings } = await runRule(zoneBelowMin, ['qemu-6.1-arm64-cma-movable-oom.log']);
  const z = (findings[0].data as any).zones[0];
  assert.equal(z.unusableCmaKb, 0);
  assert.equal(z.usableFreeKb, z.freeKb);
  assert.doesNotMatch(findings[0].title, /CMA/);
});
