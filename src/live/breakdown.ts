import type { MeminfoSnapshotIncident, SlabCache } from '../model/snapshot-incidents.js';
import type { CgroupMem } from './cgroups.js';
import type { ProcessMem } from './processes.js';
import type { Suspect } from './suspects.js';
import { accountMeminfo } from '../accounting/index.js';

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
  /** unaccounted only: counters this meminfo lacks; the remainder then measures nothing (it is no hidden memory). */
  missing?: string[];
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

/**
 * The parts come from the one accounting (src/accounting/): the same holders and the same
 * remainder `analyze` computes from the same files. This adds only the attribution inside each
 * part (processes, cgroups, files, tmpfs mounts, slab caches) and the suspects for the remainder.
 */
export function buildBreakdown(x: BreakdownInputs): Breakdown {
  const m = x.meminfo;
  const notes: string[] = [];
  const topN = x.topN ?? 12;
  const acc = accountMeminfo(m.counters, {
    pcpFreeKb: x.pcpFreePages != null ? x.pcpFreePages * x.pageSizeKb : null,
    vmapStackKb: x.vmallocStackKb, arch: x.arch,
    zsmallocKb: x.vmstat.nr_zspages !== undefined ? x.vmstat.nr_zspages * x.pageSizeKb : null,
  });
  const parts: Part[] = [];
  for (const h of acc.holders) {
    if (h.kb === 0 && !['free', 'anon', 'page-cache', 'slab'].includes(h.id)) continue;
    const base: Part = { name: h.id, kb: h.kb, label: h.label, source: h.source, ...(h.note ? { note: h.note } : {}) };
    if (h.id === 'anon') parts.push({ ...anonPart(h.kb, x.processes, x.cgroups, topN), ...pick(base) });
    else if (h.id === 'page-cache') parts.push({ ...cachePart(h.kb, m.buffersKb ?? 0, x.cachedFiles, topN), ...pick(base) });
    else if (h.id === 'shmem') parts.push({ ...shmemPart(h.kb, x.tmpfs, x.cachedFiles, topN), ...pick(base) });
    else if (h.id === 'slab') parts.push({ ...slabPart(h.kb, x.slabCaches, x.pageSizeKb, x.slabMinKb ?? 1024, topN), ...pick(base) });
    else parts.push(base);
  }
  for (const e of acc.estimates) if (!/per-CPU lists/.test(e) || x.pcpFreePages == null) notes.push(e);

  const totalKb = acc.totalKb ?? 0;
  const unaccounted: Part = {
    name: 'unaccounted', kb: totalKb - acc.accountedKb, label: 'unaccounted', source: 'MemTotal − every counter above',
    suspects: x.suspects,
  };
  if (acc.missing.length) {
    unaccounted.missing = [...acc.missing];
    unaccounted.note = `not a measure of hidden memory: /proc/meminfo lacks ${acc.missing.join(', ')}`;
  }
  else if (unaccounted.kb < 0) {
    unaccounted.note = `negative: the counters above overlap by ${-unaccounted.kb} kB (swap cache still mapped, or counters read a moment apart on a busy machine)`;
  }
  parts.push(unaccounted);
  return { totalKb, parts, pageSizeKb: x.pageSizeKb, notes };
}

/** The accounting's name, size, label and source win over the attribution helpers' own. */
const pick = (p: Part): Pick<Part, 'name' | 'kb' | 'label' | 'source'> => ({ name: p.name, kb: p.kb, label: p.label, source: p.source });

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
