import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildBreakdown } from '../../src/live/breakdown.js';
import { FixtureReader } from '../../src/live/reader.js';
import { RealReader } from '../../src/live/real-reader.js';
import { parseMeminfo } from '../../src/live/snapshots.js';
import { gatherWhere } from '../../src/live/where.js';
import { renderWhereText } from '../../src/live/where-text.js';
import { FIXTURES } from '../helpers.js';

const TREE = join(FIXTURES, 'proc-tree-host-6.18');
const meminfoKb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readFileSync(join(TREE, 'proc/meminfo'), 'utf8'))![1]);
const sum = (parts: { kb: number }[]) => parts.reduce((a, p) => a + p.kb, 0);
const part = (b: { parts: { name: string }[] }, name: string) => b.parts.find((p) => p.name === name) as any;

test('captured tree: parts add up to MemTotal exactly, unaccounted under 1 %', async () => {
  const b = await gatherWhere(new FixtureReader(TREE), { arch: 'x64' });
  assert.equal(b.totalKb, meminfoKb('MemTotal'));
  assert.equal(sum(b.parts), b.totalKb);
  const un = part(b, 'unaccounted');
  assert.ok(Math.abs(un.kb) < b.totalKb * 0.01, `unaccounted ${un.kb} kB`);
  assert.equal(b.pageSizeKb, 4);
  assert.deepEqual(new Set(b.parts.map((p) => p.name)).size, b.parts.length, 'names unique');
});

test('captured tree: each part comes from its counter, without double counting', async () => {
  const b = await gatherWhere(new FixtureReader(TREE), { arch: 'x64' });
  assert.equal(part(b, 'free').kb, meminfoKb('MemFree'));
  assert.equal(part(b, 'anon').kb, meminfoKb('AnonPages'));
  // Shmem is inside Cached: page cache must not count it again.
  assert.equal(part(b, 'page-cache').kb, meminfoKb('Cached') - meminfoKb('Shmem') + meminfoKb('Buffers'));
  assert.equal(part(b, 'shmem').kb, meminfoKb('Shmem'));
  assert.equal(part(b, 'slab').kb, meminfoKb('SReclaimable') + meminfoKb('SUnreclaim'));
  // vmap stacks are inside VmallocUsed on x86_64; they are shown once, under kernel-stack.
  assert.equal(part(b, 'vmalloc').kb, meminfoKb('VmallocUsed') - meminfoKb('KernelStack'));
  const zoneinfo = readFileSync(join(TREE, 'proc/zoneinfo'), 'utf8');
  const pcp = [...zoneinfo.matchAll(/^\s+count:\s+(\d+)$/gm)].reduce((a, m) => a + Number(m[1]), 0);
  assert.equal(part(b, 'per-cpu-free').kb, pcp * 4);
});

test('captured tree: anon by process (PSS, else RssAnon) and by v1 cgroup', async () => {
  const b = await gatherWhere(new FixtureReader(TREE), { arch: 'x64' });
  const anon = part(b, 'anon');
  const sleep = anon.children.find((c: any) => c.comm === 'sleep');
  const pid = sleep.pid;
  const rollup = readFileSync(join(TREE, `proc/${pid}/smaps_rollup`), 'utf8');
  assert.equal(sleep.kb, Number(/^Pss_Anon:\s+(\d+)/m.exec(rollup)![1]));
  assert.equal(sleep.source, 'smaps_rollup');
  const init = anon.children.find((c: any) => c.pid === 1);
  assert.equal(init.source, 'status', 'pid 1 smaps_rollup was refused on the host');
  const statusText = readFileSync(join(TREE, 'proc/1/status'), 'utf8');
  assert.equal(init.kb, Number(/^RssAnon:\s+(\d+)/m.exec(statusText)![1]));
  const g = anon.cgroups.find((c: any) => c.path === '/process_api/cee4055a934b2d2dfb64c11edad10bf2');
  const stat = readFileSync(join(TREE, 'sys/fs/cgroup/memory/process_api/cee4055a934b2d2dfb64c11edad10bf2/memory.stat'), 'utf8');
  assert.equal(g.kb, Number(/^rss (\d+)$/m.exec(stat)![1]) / 1024);
  assert.equal(g.version, 1);
});

test('captured tree: slab caches above the threshold, biggest first; JSON names stay', async () => {
  const b = await gatherWhere(new FixtureReader(TREE), { arch: 'x64', slabMinKb: 1024 });
  const slab = part(b, 'slab');
  const named = slab.children.filter((c: any) => c.objects !== undefined);
  assert.ok(named.length > 0);
  assert.ok(named.every((c: any) => c.kb >= 1024));
  for (let i = 1; i < named.length; i++) assert.ok(named[i - 1].kb >= named[i].kb);
  const json = JSON.parse(JSON.stringify(b));
  assert.equal(typeof json.totalKb, 'number');
  for (const p of json.parts) assert.deepEqual([typeof p.name, typeof p.kb], ['string', 'number']);
  assert.ok(Array.isArray(part(json, 'unaccounted').suspects));
  assert.match(renderWhereText(b, []), /unaccounted\s+14\.\d MiB/);
});

test('overlapping counters make unaccounted negative, and it is said, not hidden', async () => {
  const text = readFileSync(join(TREE, 'proc/meminfo'), 'utf8');
  // A swap cache larger than what is left over: the overlap case of mapped swap-cache pages.
  const m = parseMeminfo(text.replace(/^SwapCached:\s+\d+ kB$/m, 'SwapCached:      1048576 kB'))!;
  const b = buildBreakdown({
    meminfo: m, vmstat: {}, pageSizeKb: 4, slabCaches: null, processes: [], cgroups: [], cachedFiles: null, tmpfs: [],
    vmallocStackKb: null, arch: 'x64', pcpFreePages: null, suspects: [],
  });
  const un = part(b, 'unaccounted');
  assert.ok(un.kb < 0);
  assert.equal(sum(b.parts), b.totalKb);
  assert.match(un.note, /negative/);
  assert.match(renderWhereText(b, []), /add up to more than MemTotal/);
});

test('this machine: adds up exactly, unaccounted within 1 % of MemTotal', async (t) => {
  if (process.platform !== 'linux') return t.skip('needs Linux /proc');
  const reader = new RealReader();
  try {
    const b = await gatherWhere(reader, { residency: null });
    assert.equal(sum(b.parts), b.totalKb);
    const un = part(b, 'unaccounted');
    const gpu = (un.suspects ?? []).some((s: any) => /nvidia|amdgpu|balloon|zfs/.test(s.name));
    if (gpu) return t.skip('a GPU/balloon/ZFS suspect is loaded: memory outside the counters is expected here');
    assert.ok(Math.abs(un.kb) < b.totalKb * 0.01, `unaccounted ${un.kb} kB of ${b.totalKb}`);
  } finally {
    await reader.close();
  }
});

// Issue 7: a meminfo without a counter the remainder needs (Percpu, as a kernel before 3.18 prints it,
// derived here from the captured tree by leaving that line out) gives no verdict on hidden memory.
test('a meminfo lacking Percpu: the headline says it cannot tell, never that the counters explain the memory', () => {
  const text = readFileSync(join(TREE, 'proc/meminfo'), 'utf8').replace(/^Percpu:.*\n/m, '');
  const b = buildBreakdown({
    meminfo: parseMeminfo(text)!, vmstat: {}, pageSizeKb: 4, slabCaches: null, processes: [], cgroups: [], cachedFiles: null, tmpfs: [],
    vmallocStackKb: null, arch: 'x64', pcpFreePages: null, suspects: [],
  });
  assert.deepEqual(part(b, 'unaccounted').missing, ['Percpu']);
  const out = renderWhereText(b, []);
  assert.match(out, /Unaccounted: cannot tell — \/proc\/meminfo lacks Percpu/);
  assert.doesNotMatch(out, /explain this machine's memory|is in no kernel counter/);
});
