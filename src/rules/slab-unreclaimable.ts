import type { SlabSnapshotIncident } from '../model/snapshot-incidents.js';
import { formatKb } from '../model/units.js';
import { holderCause } from './util/holder-cause.js';
import { lineAt } from './util/snapshot-lines.js';

// Unreclaimable slab is kernel objects no shrinker can free (kmalloc buffers, message queues,
// driver objects): a leak or an unbounded kernel queue, not something killing a process fixes.
export const slabUnreclaimable = holderCause({
  id: 'slab-unreclaimable', holder: 'slab', subject: 'Kernel slab', warningShare: 0.25, criticalShare: 0.5,
  description: 'Kernel slab, mostly unreclaimable, holds much of RAM: a kernel-side leak or an unbounded kernel queue; names the largest caches.',
  measure: (h) => h.split?.unreclaimableKb ?? h.kb,
  meminfoLine: 'SUnreclaim:', reportLine: 'slab_unreclaimable:',
  title: (h, _a, share) => h.split ? `Unreclaimable kernel slab holds ${formatKb(h.split.unreclaimableKb)} (${share}) of ${formatKb(h.kb)} slab` : `Kernel slab holds ${formatKb(h.kb)} (${share}); the input does not say how much is unreclaimable`,
  explain: (h, _a, ctx, inc) => {
    const table = inc.kind === 'oom_kill' ? inc.unreclaimableSlab ?? null : null;
    if (table?.length) {
      const sum = table.reduce((s, c) => s + c.totalKb, 0);
      return [
        h.split ? `Reclaimable ${formatKb(h.split.reclaimableKb)} (dentries, inodes: the kernel frees these under pressure), unreclaimable ${formatKb(h.split.unreclaimableKb)}.` : '',
        `The report's "Unreclaimable slab info" names ${table.length} caches holding ${formatKb(sum)}; the largest: ${table.slice(0, 3).map((c) => `${c.name} ${formatKb(c.totalKb)} (${Math.round((1000 * c.totalKb) / sum) / 10} %)`).join(', ')}.`,
        /^kmalloc-/.test(table[0].name) ? `${table[0].name} is a generic kmalloc cache (the "-cg" ones hold allocations charged to a memory cgroup): the objects' owner is whatever code kmallocs that size, so the cache name alone does not say who; \`slabtop\` over time and the allocation tracer (/sys/kernel/slab/${table[0].name}/alloc_calls with slub_debug=U) do.` : '',
        'Unreclaimable slab belongs to the kernel, not to a process: killing processes frees it only if a process\'s own kernel objects (sockets, message queues, pipes) are the ones growing.',
      ];
    }
    const snap = ctx.incidents.find((i): i is SlabSnapshotIncident => i.kind === 'slab_snapshot' && i.caches.length > 0);
    const size = (c: SlabSnapshotIncident['caches'][number]): number => c.cacheSizeKb ?? (c.cacheSizePages != null ? c.cacheSizePages * 4 : 0);
    const top = snap ? [...snap.caches].sort((a, b) => size(b) - size(a)).slice(0, 5) : [];
    return [
      h.split ? `Reclaimable ${formatKb(h.split.reclaimableKb)} (dentries, inodes: the kernel frees these under pressure), unreclaimable ${formatKb(h.split.unreclaimableKb)}.` : '',
      top.length ? `Largest caches: ${top.map((c) => `${c.name} ${formatKb(size(c))}`).join(', ')}.` : 'The input names no cache: the OOM report\'s "Unreclaimable slab info:" block, /proc/slabinfo or `slabtop -o` would.',
      'Unreclaimable slab belongs to the kernel, not to a process: killing processes frees it only if a process\'s own kernel objects (sockets, message queues, pipes) are the ones growing.',
    ];
  },
  extraEvidence: (ctx, inc) => {
    const table = inc.kind === 'oom_kill' ? inc.unreclaimableSlab ?? null : null;
    if (table?.length) return table.slice(0, 2).map((c) => lineAt(ctx, inc.input, c.line, c.name));
    const snap = ctx.incidents.find((i): i is SlabSnapshotIncident => i.kind === 'slab_snapshot' && i.caches.length > 0);
    return snap ? [...snap.caches].sort((a, b) => (b.cacheSizeKb ?? b.cacheSizePages ?? 0) - (a.cacheSizeKb ?? a.cacheSizePages ?? 0)).slice(0, 2).map((c) => lineAt(ctx, snap.input, c.line, c.name)) : [];
  },
  advice: ['`slabtop -o -s c` twice a minute apart shows which cache grows; `echo 1 > /sys/kernel/slab/CACHE/trace` or kmemleak find who allocates. Message queues: `ipcs -q`; sockets: `ss -s`.'],
});
