import type { MeminfoSnapshotIncident, SlabCache } from '../model/snapshot-incidents.js';
import type { CgroupMem } from './cgroups.js';
import type { ProcessMem } from './processes.js';
import type { Suspect } from './suspects.js';

/** `where --format json` (public: add fields, never rename). Top-level parts add up to totalKb. */
export interface Breakdown {
  totalKb: number;
  parts: Part[];
  pageSizeKb: number;
  /** Things the breakdown could not see (unreadable files, assumptions it made). */
  notes: string[];
}

export interface Part {
  name: string;
  kb: number;
  label: string;
  /** The counter(s) it comes from. */
  source: string;
  /** Attribution inside the part: it explains, and need not add up exactly (PSS vs RSS, sampling). */
  children?: Child[];
  /** anon only: the same memory by memory cgroup (own usage, not including child groups). */
  cgroups?: Child[];
  /** unaccounted only. */
  suspects?: Suspect[];
  note?: string;
}

export interface Child {
  name: string;
  kb: number;
  [extra: string]: unknown;
}

export interface CachedFile {
  path: string;
  cachedKb: number;
  /** On tmpfs/ramfs: these pages are Shmem, not page cache. */
  shmem: boolean;
}

export interface BreakdownInputs {
  meminfo: MeminfoSnapshotIncident;
  vmstat: Record<string, number>;
  pageSizeKb: number;
  slabCaches: SlabCache[] | null;
  processes: ProcessMem[];
  cgroups: CgroupMem[];
  cachedFiles: CachedFile[] | null;
  tmpfs: { mount: string; usedKb: number }[];
  /** Thread stacks found in /proc/vmallocinfo, or null when it could not be read. */
  vmallocStackKb: number | null;
  arch: string;
  pcpFreePages: number | null;
  suspects: Suspect[];
  slabMinKb?: number;
  topN?: number;
}

// Architectures where CONFIG_VMAP_STACK is the default: thread stacks are vmalloc'd, so
// KernelStack is inside VmallocUsed and must be taken out of it once.
const VMAP_STACK_ARCHES = new Set(['x64', 'arm64', 'riscv64', 's390x', 'ppc64', 'loong64']);

/**
 * The kernel counters that own pages, chosen to be disjoint. MemTotal is the pages the buddy
 * allocator manages; each one is free, on a per-cpu list, or held by exactly one owner below.
 * Subsets are left out on purpose: AnonHugePages ⊂ AnonPages, ShmemHugePages ⊂ Shmem,
 * Mapped/Active/Inactive/Unevictable/Mlocked are LRU views of the same pages, Dirty/Writeback are
 * states of cache pages. Shmem is inside Cached, so page cache = Cached − Shmem + Buffers.
 */
export function buildBreakdown(x: BreakdownInputs): Breakdown {
  const m = x.meminfo;
  const c = m.counters;
  const k = (v: number | null | undefined) => v ?? 0;
  const notes: string[] = [];
  const topN = x.topN ?? 12;
  const parts: Part[] = [];
  const add = (p: Part) => {
    if (p.kb !== 0 || ['free', 'anon', 'page-cache', 'slab'].includes(p.name)) parts.push(p);
  };

  add({ name: 'free', kb: k(m.memFreeKb), label: 'free', source: 'MemFree' });
  if (x.pcpFreePages) {
    add({ name: 'per-cpu-free', kb: x.pcpFreePages * x.pageSizeKb, label: 'free on per-cpu lists', source: '/proc/zoneinfo pagesets count', note: 'free pages cached per CPU; not in MemFree' });
  }
  add(anonPart(k(m.anonPagesKb), x.processes, x.cgroups, topN));
  add(cachePart(k(m.cachedKb) - k(m.shmemKb) + k(m.buffersKb), k(m.buffersKb), x.cachedFiles, topN));
  add(shmemPart(k(m.shmemKb), x.tmpfs, x.cachedFiles, topN));
  // A swapped-in page still mapped by a process is in both AnonPages and SwapCached: the overlap
  // cannot be told from meminfo and makes `unaccounted` smaller by that much.
  add({ name: 'swap-cache', kb: k(m.swapCachedKb), label: 'swap cache', source: 'SwapCached', note: 'may overlap anon for pages read back from swap and still mapped' });
  add(slabPart(k(m.sReclaimableKb) + k(m.sUnreclaimKb), x.slabCaches, x.pageSizeKb, x.slabMinKb ?? 1024, topN));
  // KReclaimable = SReclaimable + NR_KERNEL_MISC_RECLAIMABLE (a few drivers' shrinkable buffers).
  add({ name: 'kernel-misc-reclaimable', kb: Math.max(0, k(m.kReclaimableKb) - k(m.sReclaimableKb)), label: 'other reclaimable kernel', source: 'KReclaimable − SReclaimable' });
  add({ name: 'kernel-stack', kb: k(m.kernelStackKb), label: 'kernel stacks', source: 'KernelStack' });
  add({ name: 'page-tables', kb: k(m.pageTablesKb), label: 'page tables', source: 'PageTables' });
  add({ name: 'sec-page-tables', kb: k(c.secPageTablesKb), label: 'secondary page tables (KVM, IOMMU)', source: 'SecPageTables' });
  add(vmallocPart(k(m.vmallocUsedKb), k(m.kernelStackKb), x.vmallocStackKb, x.arch, notes));
  add({ name: 'percpu', kb: k(m.percpuKb), label: 'per-cpu allocations', source: 'Percpu' });
  add({ name: 'hugetlb', kb: m.hugetlbKb ?? k(m.hugePagesTotal) * k(m.hugepagesizeKb), label: 'hugetlb pool', source: 'Hugetlb', note: 'reserved huge pages, used or not' });
  // zram and zswap store compressed pages in zsmalloc; nr_zspages counts its pages for both.
  const zs = x.vmstat.nr_zspages !== undefined ? x.vmstat.nr_zspages * x.pageSizeKb : k(c.zswapKb);
  add({ name: 'zsmalloc', kb: zs, label: 'compressed memory (zram/zswap)', source: x.vmstat.nr_zspages !== undefined ? 'vmstat nr_zspages' : 'Zswap' });
  add({ name: 'unaccepted', kb: k(c.unacceptedKb), label: 'unaccepted (confidential VM)', source: 'Unaccepted' });
  add({ name: 'bounce', kb: k(c.bounceKb), label: 'bounce buffers', source: 'Bounce' });
  add({ name: 'writeback-tmp', kb: k(c.writebackTmpKb), label: 'FUSE writeback copies', source: 'WritebackTmp' });

  const totalKb = k(m.memTotalKb);
  const accounted = parts.reduce((a, p) => a + p.kb, 0);
  const unaccounted: Part = {
    name: 'unaccounted', kb: totalKb - accounted, label: 'unaccounted', source: 'MemTotal − every counter above',
    suspects: x.suspects,
  };
  if (unaccounted.kb < 0) {
    unaccounted.note = `negative: the counters above overlap by ${-unaccounted.kb} kB (swap cache still mapped, or counters read a moment apart on a busy machine)`;
  }
  parts.push(unaccounted);
  return { totalKb, parts, pageSizeKb: x.pageSizeKb, notes };
}

function topChildren(items: Child[], topN: number, otherLabel: (n: number) => string): Child[] {
  const sorted = [...items].sort((a, b) => b.kb - a.kb);
  const shown = sorted.slice(0, topN);
  const rest = sorted.slice(topN);
  if (rest.length > 0) shown.push({ name: otherLabel(rest.length), kb: rest.reduce((a, r) => a + r.kb, 0) });
  return shown;
}

function anonPart(kb: number, procs: ProcessMem[], groups: CgroupMem[], topN: number): Part {
  const withAnon = procs.filter((p) => p.anonKb != null && p.anonKb > 0);
  const kids = withAnon.map((p) => ({ name: `pid ${p.pid} ${p.comm}`, kb: p.anonKb!, pid: p.pid, comm: p.comm, source: p.anonSource }));
  const children = topChildren(kids, topN, (n) => `${n} other processes`);
  const sum = kids.reduce((a, ch) => a + ch.kb, 0);
  if (kb - sum > 0) children.push({ name: 'not attributed to a process', kb: kb - sum });
  const usesRss = withAnon.some((p) => p.anonSource === 'status');
  const gk = groups.filter((g) => g.anonKb > 0).map((g) => ({ name: `cgroup v${g.version} ${g.path}`, kb: g.anonKb, version: g.version, path: g.path, totalKb: g.totalAnonKb }));
  return {
    name: 'anon', kb, label: 'process memory (anonymous)', source: 'AnonPages', children,
    cgroups: topChildren(gk, topN, (n) => `${n} other cgroups`),
    note: usesRss ? 'some processes by RssAnon (no access to smaps_rollup): pages shared after fork count once per process' : undefined,
  };
}

function cachePart(kb: number, buffersKb: number, files: CachedFile[] | null, topN: number): Part {
  const children: Child[] = [];
  if (buffersKb > 0) children.push({ name: 'buffers (block device pages: filesystem metadata)', kb: buffersKb });
  if (files) {
    const kids = files.filter((f) => !f.shmem && f.cachedKb > 0).map((f) => ({ name: f.path, kb: f.cachedKb }));
    const shown = [...kids].sort((a, b) => b.kb - a.kb).slice(0, topN);
    children.push(...shown);
    const rest = kb - buffersKb - shown.reduce((a, f) => a + f.kb, 0);
    if (rest > 0) children.push({ name: 'other files (not among the largest mapped by running processes)', kb: rest });
  }
  return { name: 'page-cache', kb, label: 'page cache (files)', source: 'Cached − Shmem + Buffers', children };
}

function shmemPart(kb: number, tmpfs: { mount: string; usedKb: number }[], files: CachedFile[] | null, topN: number): Part {
  const kids: Child[] = tmpfs.filter((t) => t.usedKb > 0).map((t) => ({ name: `tmpfs ${t.mount}`, kb: t.usedKb }));
  const children = topChildren(kids, topN, (n) => `${n} other tmpfs mounts`);
  const mapped = (files ?? []).filter((f) => f.shmem && f.cachedKb > 0).sort((a, b) => b.cachedKb - a.cachedKb).slice(0, 5);
  const rest = kb - kids.reduce((a, t) => a + t.kb, 0);
  if (rest > 0) children.push({ name: 'SysV shm, memfd, shared anonymous mappings, GPU buffers', kb: rest });
  for (const f of mapped) children.push({ name: `mapped ${f.path}`, kb: f.cachedKb, inTmpfsAbove: true });
  return { name: 'shmem', kb, label: 'shared memory (tmpfs, shm)', source: 'Shmem', children };
}

function slabPart(kb: number, caches: SlabCache[] | null, pageSizeKb: number, minKb: number, topN: number): Part {
  const part: Part = { name: 'slab', kb, label: 'kernel slab', source: 'SReclaimable + SUnreclaim' };
  if (!caches) {
    part.note = '/proc/slabinfo unreadable (root only): no per-cache figures';
    return part;
  }
  const sized = caches.map((c) => ({ name: c.name, kb: (c.cacheSizePages ?? 0) * pageSizeKb, objects: c.objects, objSizeBytes: c.objSizeBytes }));
  const big = sized.filter((s) => s.kb >= minKb).sort((a, b) => b.kb - a.kb).slice(0, topN);
  const listed = sized.reduce((a, s) => a + s.kb, 0);
  const children: Child[] = [...big];
  const small = listed - big.reduce((a, s) => a + s.kb, 0);
  if (small > 0) children.push({ name: `${sized.length - big.length} smaller caches`, kb: small });
  // kmalloc() above 8 KiB bypasses the caches but is counted in SUnreclaim since 5.9.
  if (kb - listed > 0) children.push({ name: 'not in any cache (large kmalloc)', kb: kb - listed });
  part.children = children;
  return part;
}

function vmallocPart(usedKb: number, stackKb: number, foundStackKb: number | null, arch: string, notes: string[]): Part {
  let inside: number;
  let note: string;
  if (foundStackKb != null && foundStackKb > 0) {
    inside = Math.min(foundStackKb, stackKb, usedKb);
    note = 'kernel stacks (vmap stacks, seen in /proc/vmallocinfo) taken out: they are counted under kernel stacks';
  } else if (foundStackKb == null && VMAP_STACK_ARCHES.has(arch)) {
    inside = Math.min(stackKb, usedKb);
    note = `kernel stacks taken out, assuming CONFIG_VMAP_STACK (the ${arch} default; /proc/vmallocinfo unreadable to confirm)`;
    notes.push(note);
  } else {
    inside = 0;
    note = 'no vmap stacks found in /proc/vmallocinfo';
  }
  return { name: 'vmalloc', kb: usedKb - inside, label: 'vmalloc (modules, BPF, drivers)', source: 'VmallocUsed − vmap stacks', note };
}
