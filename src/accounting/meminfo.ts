import { generationOf, MEMINFO_TO_GET, missingMeminfo } from './generations.js';
import { bySize, holder, type Accounting, type Holder, type HugePool } from './types.js';

/** What the input around a meminfo may add: counters /proc/meminfo itself does not print. */
export interface MeminfoExtras {
  /** Free pages on per-CPU lists (Σ "count:" of /proc/zoneinfo pagesets), kB; null when unknown. */
  pcpFreeKb?: number | null;
  /** Thread stacks seen in /proc/vmallocinfo, kB; null when it was not read. */
  vmapStackKb?: number | null;
  /** The machine's architecture (Node's process.arch spelling) when known. */
  arch?: string | null;
  /** zsmalloc pages (vmstat nr_zspages), kB, when known: zram and zswap together. */
  zsmallocKb?: number | null;
}

// Architectures where CONFIG_VMAP_STACK is the default (x86_64 since 4.9, arm64 since 4.14…):
// thread stacks are vmalloc'd, so KernelStack is inside VmallocUsed and must be taken out once.
const VMAP_STACK_ARCHES = new Set(['x64', 'arm64', 'riscv64', 's390x', 'ppc64', 'loong64']);

/** The part of VmallocUsed that is KernelStack, and the assumption behind it (null when measured). */
function vmapStacks(c: Record<string, number>, x: MeminfoExtras): { kb: number; estimate: string | null } {
  const stack = c.kernelStackKb ?? 0;
  const used = c.vmallocUsedKb ?? 0;
  if (used === 0 || stack === 0) return { kb: 0, estimate: null };
  if (x.vmapStackKb != null) return { kb: Math.min(x.vmapStackKb, stack, used), estimate: null };
  if (x.arch) {
    return VMAP_STACK_ARCHES.has(x.arch)
      ? { kb: Math.min(stack, used), estimate: `KernelStack was taken out of VmallocUsed, assuming CONFIG_VMAP_STACK (the ${x.arch} default; /proc/vmallocinfo was not read to confirm).` }
      : { kb: 0, estimate: null };
  }
  // VmallocUsed is non-zero on 2.6–4.3 and again from 5.3; Percpu (4.16+) tells the two apart.
  if (c.percpuKb != null && used >= stack) {
    return { kb: stack, estimate: `KernelStack (${stack} kB) was taken out of VmallocUsed, assuming CONFIG_VMAP_STACK (the x86_64 and arm64 default since 4.9/4.14, where thread stacks are vmalloc'd); on a kernel without it the remainder is ${stack} kB smaller.` };
  }
  return { kb: 0, estimate: null };
}

/**
 * Adds up a /proc/meminfo. The holders are disjoint: Shmem is inside Cached (page cache =
 * Cached − Shmem + Buffers), AnonHugePages inside AnonPages, ShmemHugePages inside Shmem;
 * Active/Inactive/Mapped/Mlocked/Dirty/Writeback are views of the same pages and never added.
 */
export function accountMeminfo(c: Record<string, number>, x: MeminfoExtras = {}): Accounting {
  const hs: Holder[] = [];
  const terms: [string, number][] = [];
  const estimates: string[] = [];
  const term = (name: string, kb: number | null | undefined) => { if (kb != null) terms.push([name, kb]); };
  const put = (h: Holder | null) => { if (h) hs.push(h); };
  const has = (k: string) => c[k] != null;

  term('MemFree', c.memFreeKb);
  put(has('memFreeKb') ? holder('free', 'free', c.memFreeKb, 'MemFree') : null);
  if (x.pcpFreeKb != null) {
    term('per-CPU free lists', x.pcpFreeKb);
    put(holder('per-cpu-free', 'free on per-cpu lists', x.pcpFreeKb, '/proc/zoneinfo pagesets count', { note: 'free pages cached per CPU; not in MemFree' }));
  } else {
    estimates.push('Free pages parked on per-CPU lists are in no /proc/meminfo line (add /proc/zoneinfo to count them): they are part of the remainder, usually a few MiB per CPU.');
  }
  term('Buffers', c.buffersKb);
  term('Cached', c.cachedKb);
  if (has('cachedKb') || has('buffersKb')) {
    const shmem = c.shmemKb ?? 0;
    put(holder('page-cache', 'page cache (files)', (c.cachedKb ?? 0) - shmem + (c.buffersKb ?? 0), has('shmemKb') ? 'Cached − Shmem + Buffers' : 'Cached + Buffers'));
  }
  if (has('shmemKb')) put(holder('shmem', 'shared memory (tmpfs, shm)', c.shmemKb, 'Shmem', { note: 'inside Cached' }));
  term('SwapCached', c.swapCachedKb);
  // A swapped-in page still mapped is in both AnonPages and SwapCached; meminfo cannot tell how many.
  if (has('swapCachedKb')) put(holder('swap-cache', 'swap cache', c.swapCachedKb, 'SwapCached', { note: 'may overlap anon for pages read back from swap and still mapped' }));
  term('AnonPages', c.anonPagesKb);
  if (has('anonPagesKb')) put(holder('anon', 'process memory (anonymous)', c.anonPagesKb, 'AnonPages'));
  const slab = c.slabKb ?? (c.sReclaimableKb != null && c.sUnreclaimKb != null ? c.sReclaimableKb + c.sUnreclaimKb : null);
  term('Slab', slab);
  if (slab != null) {
    put(holder('slab', 'kernel slab', slab, has('slabKb') ? 'Slab' : 'SReclaimable + SUnreclaim', {
      split: has('sReclaimableKb') && has('sUnreclaimKb') ? { reclaimableKb: c.sReclaimableKb, unreclaimableKb: c.sUnreclaimKb } : undefined,
    }));
  }
  // KReclaimable (4.20+) = SReclaimable + NR_KERNEL_MISC_RECLAIMABLE (ION and a few drivers' shrinkable buffers).
  if (has('kReclaimableKb') && has('sReclaimableKb') && c.kReclaimableKb > c.sReclaimableKb) {
    term('KReclaimable−SReclaimable', c.kReclaimableKb - c.sReclaimableKb);
    put(holder('kernel-misc-reclaimable', 'other reclaimable kernel', c.kReclaimableKb - c.sReclaimableKb, 'KReclaimable − SReclaimable'));
  }
  term('KernelStack', c.kernelStackKb);
  if (has('kernelStackKb')) put(holder('kernel-stack', 'kernel stacks', c.kernelStackKb, 'KernelStack'));
  else estimates.push('This kernel prints no KernelStack line (before 2.6.32): thread stacks are part of the remainder.');
  term('PageTables', c.pageTablesKb);
  if (has('pageTablesKb')) put(holder('page-tables', 'page tables', c.pageTablesKb, 'PageTables'));
  term('SecPageTables', c.secPageTablesKb);
  if (has('secPageTablesKb')) put(holder('sec-page-tables', 'secondary page tables (KVM, IOMMU)', c.secPageTablesKb, 'SecPageTables'));
  term('Percpu', c.percpuKb);
  if (has('percpuKb')) put(holder('percpu', 'per-cpu allocations', c.percpuKb, 'Percpu'));
  else estimates.push('This kernel prints no Percpu line (before 4.16), so per-CPU memory is part of the remainder.');
  if (has('vmallocUsedKb')) {
    const inside = vmapStacks(c, x);
    term(inside.kb > 0 ? 'VmallocUsed−vmap stacks' : 'VmallocUsed', c.vmallocUsedKb - inside.kb);
    if (inside.estimate) estimates.push(inside.estimate);
    put(holder('vmalloc', 'vmalloc (modules, BPF, drivers)', c.vmallocUsedKb - inside.kb, inside.kb > 0 ? 'VmallocUsed − vmap stacks' : 'VmallocUsed',
      { note: inside.kb > 0 ? 'kernel stacks (vmap stacks) taken out: they are counted under kernel stacks' : undefined }));
    if (c.vmallocUsedKb === 0) estimates.push('VmallocUsed reads 0 (kernels 4.4 to 5.2 and some vendor kernels print 0 whatever is in use), so vmalloc memory is part of the remainder.');
  }
  const zs = x.zsmallocKb ?? c.zswapKb;
  term(x.zsmallocKb != null ? 'nr_zspages' : 'Zswap', zs);
  if (zs != null) put(holder('zsmalloc', 'compressed memory (zram/zswap)', zs, x.zsmallocKb != null ? 'vmstat nr_zspages' : 'Zswap'));
  for (const [name, key, id, label] of [['Unaccepted', 'unacceptedKb', 'unaccepted', 'unaccepted (confidential VM)'], ['Balloon', 'balloonKb', 'balloon', 'balloon (taken back by the hypervisor)'],
    ['Bounce', 'bounceKb', 'bounce', 'bounce buffers'], ['WritebackTmp', 'writebackTmpKb', 'writeback-tmp', 'FUSE writeback copies']] as const) {
    term(name, c[key]);
    if (has(key)) put(holder(id, label, c[key], name));
  }
  const hugeKb = c.hugetlbKb ?? (c.hugePagesTotal != null && c.hugepagesizeKb != null ? c.hugePagesTotal * c.hugepagesizeKb : null);
  term(has('hugetlbKb') ? 'Hugetlb' : 'HugePages_Total×Hugepagesize', hugeKb);
  if (hugeKb != null) put(holder('hugetlb', 'huge-page pool', hugeKb, has('hugetlbKb') ? 'Hugetlb' : 'HugePages_Total × Hugepagesize', { note: 'reserved huge pages, used or not' }));

  const cmaUsed = c.cmaTotalKb != null && c.cmaFreeKb != null ? c.cmaTotalKb - c.cmaFreeKb : 0;
  if (cmaUsed > 0) estimates.push(`CMA has ${cmaUsed} kB in use (CmaTotal − CmaFree); what drivers take from CMA with dma_alloc is in no other counter, so it is part of the remainder.`);

  const missing = missingMeminfo(c);
  const totalKb = c.memTotalKb ?? null;
  const accountedKb = terms.reduce((s, [, v]) => s + v, 0);
  const hugePools: HugePool[] = c.hugePagesTotal != null && c.hugepagesizeKb != null
    ? [{ node: null, sizeKb: c.hugepagesizeKb, totalPages: c.hugePagesTotal, freePages: c.hugePagesFree ?? 0, reservedPages: c.hugePagesRsvd ?? null, surplusPages: c.hugePagesSurp ?? null }]
    : [];
  return {
    source: 'meminfo', totalKb, totalSource: 'MemTotal', pageSizeKb: null,
    holders: bySize(hs), accountedKb,
    unaccountedKb: totalKb != null && missing.length === 0 ? totalKb - accountedKb : null,
    missing, toGet: missing.length ? MEMINFO_TO_GET : null, estimates, terms,
    formula: `MemTotal − (${terms.map(([n]) => n).join(' + ')})`,
    hugePools, cma: c.cmaTotalKb != null ? { totalKb: c.cmaTotalKb, freeKb: c.cmaFreeKb ?? null } : null,
    generation: generationOf(c),
  };
}
