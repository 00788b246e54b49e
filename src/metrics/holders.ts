import { buildBreakdown, type Breakdown } from '../live/breakdown.js';
import { vmallocStackPages } from '../live/proc-text.js';
import type { ProcReader } from '../live/reader.js';
import { pageSizeKbFrom, parseMeminfo, parseVmstat, perCpuListPages } from '../live/snapshots.js';

/**
 * THE adapter between the fleet side (metrics, `memtriage check`) and the memory accounting.
 * Today it asks src/live/breakdown.ts for the top-level parts only; when the shared accounting
 * module (src/accounting/, issue 7) lands, this is the one file to change.
 */
export interface Holders {
  totalBytes: number;
  /** Bytes per holder; null when the counter it comes from is missing from /proc/meminfo. */
  bytes: Record<HolderName, number | null>;
  /** meminfo counters that unaccounted needs and this kernel did not print; unaccounted is null then. */
  missing: string[];
  /** Assumptions the breakdown made (e.g. vmap stacks assumed without /proc/vmallocinfo). */
  notes: string[];
}

export const HOLDER_NAMES = ['anon', 'cache', 'shmem', 'slab', 'hugetlb', 'unaccounted'] as const;
export type HolderName = (typeof HOLDER_NAMES)[number];

/**
 * The breakdown treats an absent counter as 0, which is right for a category a kernel does not have
 * (SecPageTables before 6.0) but would silently inflate `unaccounted` for one it does have and did
 * not print. These are the counters every kernel since 4.x prints; without any of them the
 * remainder "MemTotal − counters" is not the memory no counter shows, so we do not claim it.
 * (Quirk left as it is: 4.4–5.2 printed VmallocUsed as a constant 0, so there unaccounted includes vmalloc.)
 */
const NEEDED: [field: string, meminfoName: string][] = [
  ['memTotalKb', 'MemTotal'], ['memFreeKb', 'MemFree'], ['buffersKb', 'Buffers'], ['cachedKb', 'Cached'],
  ['swapCachedKb', 'SwapCached'], ['anonPagesKb', 'AnonPages'], ['shmemKb', 'Shmem'], ['sReclaimableKb', 'SReclaimable'],
  ['sUnreclaimKb', 'SUnreclaim'], ['kernelStackKb', 'KernelStack'], ['pageTablesKb', 'PageTables'],
  ['vmallocUsedKb', 'VmallocUsed'], ['percpuKb', 'Percpu'],
];

/** Maps the breakdown's part names onto the exported holder names. */
const PART_OF: Record<HolderName, string> = {
  anon: 'anon', cache: 'page-cache', shmem: 'shmem', slab: 'slab', hugetlb: 'hugetlb', unaccounted: 'unaccounted',
};

/** Reads the machine (or a captured tree) through `reader`; null when /proc/meminfo is unreadable. */
export async function readHolders(reader: ProcReader): Promise<Holders | null> {
  // Read together, like `where`: pages hop between MemFree and the per-cpu lists constantly.
  const [meminfoText, zoneinfoText, vmstatText] = await reader.readFiles(['/proc/meminfo', '/proc/zoneinfo', '/proc/vmstat']);
  const meminfo = parseMeminfo(meminfoText);
  if (!meminfo || meminfo.memTotalKb == null) return null;
  const vmstat = parseVmstat(vmstatText);
  const pageSizeKb = pageSizeKbFrom(meminfo, vmstat) ?? 4;
  const vmallocinfo = await reader.readFile('/proc/vmallocinfo', 32 << 20);
  const b: Breakdown = buildBreakdown({
    meminfo, vmstat: vmstat?.counters ?? {}, pageSizeKb, slabCaches: null, processes: [], cgroups: [],
    cachedFiles: null, tmpfs: [], suspects: [], arch: process.arch,
    vmallocStackKb: vmallocinfo == null ? null : vmallocStackPages(vmallocinfo) * pageSizeKb,
    pcpFreePages: perCpuListPages(zoneinfoText),
  });
  const fields = meminfo as unknown as Record<string, number | null>;
  const missing = NEEDED.filter(([f]) => fields[f] == null).map(([, name]) => name);
  const present = (names: string[]) => names.every((n) => !missing.includes(n));
  const kb = (part: string) => b.parts.find((p) => p.name === part)?.kb ?? 0;
  const bytes = {} as Record<HolderName, number | null>;
  for (const h of HOLDER_NAMES) bytes[h] = kb(PART_OF[h]) * 1024;
  if (!present(['AnonPages'])) bytes.anon = null;
  if (!present(['Cached', 'Shmem', 'Buffers'])) bytes.cache = null;
  if (!present(['Shmem'])) bytes.shmem = null;
  if (!present(['SReclaimable', 'SUnreclaim'])) bytes.slab = null;
  if (meminfo.hugetlbKb == null && meminfo.hugePagesTotal == null) bytes.hugetlb = null;
  if (missing.length > 0) bytes.unaccounted = null;
  return { totalBytes: meminfo.memTotalKb * 1024, bytes, missing, notes: b.notes };
}
