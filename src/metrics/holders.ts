import { accountMeminfo } from '../accounting/index.js';
import { vmallocStackPages } from '../live/proc-text.js';
import type { ProcReader } from '../live/reader.js';
import { pageSizeKbFrom, parseMeminfo, parseVmstat, perCpuListPages } from '../live/snapshots.js';

/**
 * THE adapter between the fleet side (metrics, `memtriage check`) and the one memory accounting
 * (src/accounting/, the same holders and remainder `where` and `analyze` compute): this reads the
 * live files through the injected reader and keeps the holders the metrics export.
 */
export interface Holders {
  totalBytes: number;
  /** Bytes per holder; null when the counter it comes from is missing from /proc/meminfo. */
  bytes: Record<HolderName, number | null>;
  /** Counters the remainder needs that this meminfo lacks; unaccounted is null then. */
  missing: string[];
  /** Assumptions the remainder depends on (vmap stacks assumed without /proc/vmallocinfo…). */
  notes: string[];
}

export const HOLDER_NAMES = ['anon', 'cache', 'shmem', 'slab', 'hugetlb', 'unaccounted'] as const;
export type HolderName = (typeof HOLDER_NAMES)[number];

/** The accounting's holder ids behind the exported names. */
const ID_OF: Record<Exclude<HolderName, 'unaccounted'>, string> = { anon: 'anon', cache: 'page-cache', shmem: 'shmem', slab: 'slab', hugetlb: 'hugetlb' };

/** Reads the machine (or a captured tree) through `reader`; null when /proc/meminfo is unreadable. */
export async function readHolders(reader: ProcReader): Promise<Holders | null> {
  // Read together, like `where`: pages hop between MemFree and the per-cpu lists constantly.
  const [meminfoText, zoneinfoText, vmstatText] = await reader.readFiles(['/proc/meminfo', '/proc/zoneinfo', '/proc/vmstat']);
  const meminfo = parseMeminfo(meminfoText);
  if (!meminfo || meminfo.memTotalKb == null) return null;
  const vmstat = parseVmstat(vmstatText);
  const pageSizeKb = pageSizeKbFrom(meminfo, vmstat) ?? 4;
  const vmallocinfo = await reader.readFile('/proc/vmallocinfo', 32 << 20);
  const pcp = perCpuListPages(zoneinfoText);
  const zs = vmstat?.counters.nr_zspages;
  const acc = accountMeminfo(meminfo.counters, {
    pcpFreeKb: pcp == null ? null : pcp * pageSizeKb,
    vmapStackKb: vmallocinfo == null ? null : vmallocStackPages(vmallocinfo) * pageSizeKb,
    arch: process.arch,
    zsmallocKb: zs === undefined ? null : zs * pageSizeKb,
  });
  const bytes = {} as Record<HolderName, number | null>;
  for (const [name, id] of Object.entries(ID_OF)) bytes[name as HolderName] = acc.holders.find((h) => h.id === id)?.bytes ?? null;
  bytes.unaccounted = acc.unaccountedKb == null ? null : acc.unaccountedKb * 1024;
  return { totalBytes: meminfo.memTotalKb * 1024, bytes, missing: acc.missing, notes: acc.estimates };
}
