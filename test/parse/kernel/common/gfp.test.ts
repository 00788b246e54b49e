import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import type { OomKillIncident, PageAllocFailureIncident } from '../../../../src/model/kernel-incidents.js';
import { decodeGfp, layoutOf } from '../../../../src/parse/kernel/common/gfp/index.js';
import { analyzeFixtures, FIXTURES, seedPath } from '../../../helpers.js';
import { analyze } from '../../../../src/index.js';

type WithMask = { mask: string; printed: string[]; version: string; where: string };

async function printedMasks(): Promise<WithMask[]> {
  const names = readdirSync(FIXTURES).filter((n) => /\.(log|txt)$/.test(n));
  const out: WithMask[] = [];
  const take = (incs: readonly unknown[], where: string) => {
    for (const i of incs as (OomKillIncident | PageAllocFailureIncident)[]) {
      const mask = i.kind === 'oom_kill' ? i.trigger.gfpMask : i.kind === 'page_alloc_failure' ? i.gfpMask : null;
      const flags = i.kind === 'oom_kill' ? i.trigger : i.kind === 'page_alloc_failure' ? i : null;
      if (!mask || !flags?.gfpFlags || flags.gfpFlagsDecoded || !i.kernel.version) continue;
      out.push({ mask, printed: flags.gfpFlags, version: i.kernel.version, where });
    }
  };
  for (const n of names) take((await analyzeFixtures([n])).incidents, n);
  for (const s of ['000', '003']) { const p = seedPath(s); if (p) take((await analyze([{ path: p }], { rules: [] })).incidents, `seed ${s}`); }
  return out;
}

// Since 4.6 the kernel prints the names next to the hex: every such pair in the fixtures (4.9,
// 4.15 from the seeds; 5.10, 6.1, 6.12 from qemu) is a test of the table for its generation.
test('every mask printed with its names decodes to exactly those names, for its kernel version', async () => {
  const all = await printedMasks();
  const versions = new Set(all.map((m) => m.version.replace(/^(\d+\.\d+).*/, '$1')));
  for (const v of ['5.10', '6.1', '6.12']) assert.ok(versions.has(v), `a ${v} report with names (${[...versions]})`);
  for (const m of all) assert.deepEqual(decodeGfp(m.mask, m.version), m.printed, `${m.where}: ${m.mask} on ${m.version}`);
  const distinct = new Set(all.map((m) => `${m.version.slice(0, 4)} ${m.mask}`));
  assert.ok(distinct.size >= 8, `${distinct.size} distinct masks`);
});

test('the seeds: 4.9 and 4.15 masks', { skip: !seedPath('000') && 'no seeds' }, () => {
  assert.deepEqual(decodeGfp('0x24201ca', '4.9.0-8-amd64'), ['GFP_HIGHUSER_MOVABLE', '__GFP_COLD']);
  assert.deepEqual(decodeGfp('0x14050c0', '4.15.0-184-generic'), ['GFP_KERNEL', '__GFP_NORETRY', '__GFP_COMP']);
});

// 2.6–4.3 kernels print the mask bare. No such report could be produced here (only bookworm and
// bullseye kernels are reachable), so these check the table against the composites the 2.6/3.x
// headers define: GFP_KERNEL = __GFP_WAIT|__GFP_IO|__GFP_FS = 0x10|0x40|0x80, GFP_USER adds
// __GFP_HARDWALL 0x20000, GFP_HIGHUSER adds __GFP_HIGHMEM 0x02, _MOVABLE adds 0x08; GFP_ATOMIC = __GFP_HIGH 0x20.
test('2.6 / 3.x layout: the headers\' own composites', () => {
  assert.deepEqual(decodeGfp('0xd0', '2.6.32-754.el6.x86_64'), ['GFP_KERNEL']);
  assert.deepEqual(decodeGfp('0x200da', '3.10.0-1160.el7.x86_64'), ['GFP_HIGHUSER_MOVABLE']);
  assert.deepEqual(decodeGfp('0x201da', '3.10.0-1160.el7.x86_64'), ['GFP_HIGHUSER_MOVABLE', '__GFP_COLD']);
  assert.deepEqual(decodeGfp('0x20', '2.6.18-419.el5'), ['GFP_ATOMIC']);
  assert.deepEqual(decodeGfp('0x50', '3.16.0-4-amd64'), ['GFP_NOFS']);
  assert.deepEqual(decodeGfp('0x80d0', '3.2.0-4-amd64'), ['GFP_KERNEL', '__GFP_ZERO']);
  assert.deepEqual(decodeGfp('0x4020', '2.6.32-5-amd64'), ['GFP_ATOMIC', '__GFP_COMP']);
});

test('4.16–5.3 layout (GFP_KERNEL = 0x6000c0) and unknown bits kept as hex', () => {
  assert.deepEqual(decodeGfp('0x6000c0', '4.19.0-27-amd64'), ['GFP_KERNEL']);
  assert.deepEqual(decodeGfp('0x6280ca', '4.19.0-27-amd64'), ['GFP_HIGHUSER_MOVABLE', '__GFP_ZERO']);
  assert.deepEqual(decodeGfp('0x80000cc0', '6.1.0'), ['GFP_KERNEL', '0x80000000']);
  assert.equal(decodeGfp('0x100000cc0', '6.1.0'), null);
});

test('no version, no table: the mask is not decoded by guess', () => {
  assert.equal(decodeGfp('0xcc0', null), null);
  assert.equal(layoutOf('garbage'), null);
  assert.deepEqual(['2.6.32', '4.3.5', '4.4.0', '4.9.0', '4.10.1', '4.15.0', '4.16.0', '5.3.18', '5.4.0', '6.12.0'].map(layoutOf),
    ['v2.6', 'v2.6', 'v4.4', 'v4.4', 'v4.10', 'v4.10', 'v4.16', 'v4.16', 'v5.4', 'v5.4']);
});
