/**
 * Which /proc/meminfo counters exist in which kernel generation. A counter that this input lacks
 * is "missing" (cut from the paste) only when the kernel that wrote it must have printed it:
 * always-printed counters, and those older than the newest counter the input does hold.
 * Versions are those of the mainline commit that added the line to fs/proc/meminfo.c.
 */

/** Printed by every kernel memtriage reads (2.6.18+), whatever its configuration. */
export const ALWAYS: [string, string][] = [
  ['MemTotal', 'memTotalKb'], ['MemFree', 'memFreeKb'], ['Buffers', 'buffersKb'], ['Cached', 'cachedKb'],
  ['SwapCached', 'swapCachedKb'], ['AnonPages', 'anonPagesKb'], ['PageTables', 'pageTablesKb'], ['VmallocUsed', 'vmallocUsedKb'],
];

/**
 * Unconditional lines by the release that added them: their presence dates the kernel, their
 * absence from a kernel at least that new means the paste was cut. MemAvailable and the
 * FileHugePages line only date the input; they are not terms of the sum.
 */
export const DATED: { name: string; key: string; since: string; term: boolean }[] = [
  { name: 'Shmem', key: 'shmemKb', since: '2.6.32', term: false },
  { name: 'KernelStack', key: 'kernelStackKb', since: '2.6.32', term: true },
  { name: 'MemAvailable', key: 'memAvailableKb', since: '3.14', term: false },
  { name: 'Percpu', key: 'percpuKb', since: '4.16', term: true },
  { name: 'KReclaimable', key: 'kReclaimableKb', since: '4.20', term: true },
  { name: 'SecPageTables', key: 'secPageTablesKb', since: '6.0', term: true },
];

export const versionAtLeast = (v: string, min: string): boolean => {
  const a = v.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
};

/** The newest generation the present counters prove (e.g. "4.20" when KReclaimable is there). */
export function generationOf(c: Record<string, number>): string | null {
  let g: string | null = null;
  for (const d of DATED) if (c[d.key] != null && (g == null || versionAtLeast(d.since, g))) g = d.since;
  return g;
}

/** Counters the sum needs that a meminfo of this generation must print and this one does not. */
export function missingMeminfo(c: Record<string, number>): string[] {
  const out = ALWAYS.filter(([, k]) => c[k] == null).map(([n]) => n);
  if (c.slabKb == null && (c.sReclaimableKb == null || c.sUnreclaimKb == null)) out.push('Slab');
  // HugePages_* exist only with CONFIG_HUGETLB_PAGE, which every distribution kernel sets. Without
  // them a reserved pool (often hundreds of GiB on database hosts) would look like a driver.
  if (c.hugetlbKb == null && (c.hugePagesTotal == null || c.hugepagesizeKb == null)) out.push('HugePages_Total/Hugepagesize');
  const gen = generationOf(c);
  if (gen) for (const d of DATED) if (d.term && c[d.key] == null && versionAtLeast(gen, d.since)) out.push(d.name);
  return out;
}

export const MEMINFO_TO_GET = 'paste the whole of `cat /proc/meminfo` (every line from MemTotal to the DirectMap lines)';
