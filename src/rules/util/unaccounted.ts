import type { EvidenceLine } from '../../model/common.js';
import type { Incident } from '../../model/incident.js';
import type { MemInfoReport } from '../../model/kernel-incidents.js';
import type { MeminfoSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { RuleContext } from '../types.js';
import { lineIn } from './snapshot-lines.js';

/** Memory that no counter of a meminfo or Mem-Info report accounts for. */
export interface Unaccounted {
  index: number;
  incident: Incident;
  source: 'meminfo' | 'mem-info';
  totalKb: number;
  accountedKb: number;
  unaccountedKb: number;
  /** Each term of the sum, in kB, by the name the input prints. */
  terms: [string, number][];
  /** The formula in words, for the explanation. */
  formula: string;
  /** Mem-Info only: the page size and the task table's rss sum. */
  pageSizeKb: number | null;
  taskRssPages: number | null;
  notes: string[];
  evidence: (ctx: RuleContext) => EvidenceLine[];
}

const MEMINFO_TERMS: [string, string][] = [
  ['MemFree', 'memFreeKb'], ['Buffers', 'buffersKb'], ['Cached', 'cachedKb'], ['SwapCached', 'swapCachedKb'],
  ['AnonPages', 'anonPagesKb'], ['Slab', 'slabKb'], ['KernelStack', 'kernelStackKb'], ['PageTables', 'pageTablesKb'],
  ['SecPageTables', 'secPageTablesKb'], ['Percpu', 'percpuKb'], ['VmallocUsed', 'vmallocUsedKb'], ['Zswap', 'zswapKb'],
  ['Unaccepted', 'unacceptedKb'], ['Balloon', 'balloonKb'],
];

/**
 * MemTotal − Σ counters that each hold distinct pages. Shmem and the huge-page file counters are
 * inside Cached, AnonHugePages inside AnonPages, Active/Inactive/Mapped/Mlocked overlap the rest:
 * adding them would count pages twice.
 */
export function fromMeminfo(m: MeminfoSnapshotIncident, index: number): Unaccounted | null {
  const c = m.counters;
  if (m.memTotalKb == null || m.memFreeKb == null) return null;
  const terms: [string, number][] = [];
  for (const [name, key] of MEMINFO_TERMS) {
    let v = c[key];
    if (name === 'Slab' && v == null && c.sReclaimableKb != null && c.sUnreclaimKb != null) v = c.sReclaimableKb + c.sUnreclaimKb;
    if (v != null) terms.push([name, v]);
  }
  // KReclaimable (4.20+) = SReclaimable + other reclaimable kernel memory (ION, …) outside slab.
  if (c.kReclaimableKb != null && c.sReclaimableKb != null && c.kReclaimableKb > c.sReclaimableKb) terms.push(['KReclaimable−SReclaimable', c.kReclaimableKb - c.sReclaimableKb]);
  if (c.hugetlbKb != null) terms.push(['Hugetlb', c.hugetlbKb]);
  else if (c.hugePagesTotal != null && c.hugepagesizeKb != null) terms.push(['HugePages_Total×Hugepagesize', c.hugePagesTotal * c.hugepagesizeKb]);
  const accountedKb = terms.reduce((s, [, v]) => s + v, 0);
  const notes: string[] = [];
  if (c.percpuKb == null) notes.push('This kernel prints no Percpu line, so per-CPU memory is part of the remainder.');
  if (c.vmallocUsedKb === 0) notes.push('VmallocUsed reads 0 (kernels 4.4 to 5.2 and some vendor kernels print 0 whatever is in use), so vmalloc memory is part of the remainder.');
  const cmaUsed = c.cmaTotalKb != null && c.cmaFreeKb != null ? c.cmaTotalKb - c.cmaFreeKb : 0;
  if (cmaUsed > 0) notes.push(`CMA has ${cmaUsed} kB in use (CmaTotal − CmaFree); what drivers take from CMA with dma_alloc is in no other counter, so it is part of the remainder.`);
  return {
    index, incident: m, source: 'meminfo', totalKb: m.memTotalKb, accountedKb, unaccountedKb: m.memTotalKb - accountedKb, terms,
    formula: `MemTotal − (${terms.map(([n]) => n).join(' + ')})`,
    pageSizeKb: null, taskRssPages: null, notes,
    evidence: (ctx) => ['MemTotal:', 'MemFree:', 'MemAvailable:', 'AnonPages:', 'Slab:', 'VmallocUsed:', 'Percpu:', 'Hugetlb:']
      .map((n) => lineIn(ctx, m, n, true)).filter((e): e is EvidenceLine => e != null),
  };
}

const MEMINFO_PAGES: [string, string][] = [
  ['active_anon', 'activeAnonPages'], ['inactive_anon', 'inactiveAnonPages'], ['isolated_anon', 'isolatedAnonPages'],
  ['active_file', 'activeFilePages'], ['inactive_file', 'inactiveFilePages'], ['isolated_file', 'isolatedFilePages'],
  ['unevictable', 'unevictablePages'], ['slab_reclaimable', 'slabReclaimablePages'], ['slab_unreclaimable', 'slabUnreclaimablePages'],
  ['pagetables', 'pagetablesPages'], ['sec_pagetables', 'secPagetablesPages'], ['kernel_misc_reclaimable', 'kernelMiscReclaimablePages'],
  ['free', 'freePages'], ['free_pcp', 'freePcpPages'],
];

/**
 * Managed pages − (LRU lists + isolated + unevictable + slab + page tables + kernel stacks + free
 * + per-CPU free lists + hugetlb). shmem, mapped, dirty and writeback are pages on the LRU lists.
 * Pages on the per-CPU lists (free_pcp) are not in `free`.
 */
export function fromMemInfoReport(r: MemInfoReport, inc: Incident, index: number, taskRssPages: number | null): Unaccounted | null {
  const ps = r.pageSizeKb;
  if (ps == null) return null;
  // The Mem-Info counters and zone lines are the incident's own fields, not the report's.
  const own = inc.kind === 'oom_kill' || inc.kind === 'page_alloc_failure' || inc.kind === 'sysrq_show_mem' || inc.kind === 'show_mem' ? inc : null;
  const memInfo = own?.memInfo ?? {};
  const zones = own?.zones ?? [];
  // "pages RAM − pages reserved" is the whole machine; the zone lines may be cut (seed 000 shows node 0 only).
  const managedZones = zones.every((z) => z.managedKb != null) && zones.length ? zones.reduce((s, z) => s + (z.managedKb ?? 0), 0) / ps : null;
  const totalPages = r.ramPages != null && r.reservedPages != null ? r.ramPages - r.reservedPages : managedZones;
  if (totalPages == null || totalPages <= 0) return null;
  const terms: [string, number][] = [];
  for (const [name, key] of MEMINFO_PAGES) if (memInfo[key] != null) terms.push([name, memInfo[key] * ps]);
  const nodeStacks = r.nodes.filter((n) => n.counters.kernelStackKb != null);
  const stackKb = nodeStacks.length ? nodeStacks.reduce((s, n) => s + n.counters.kernelStackKb, 0)
    : zones.some((z) => z.counters.kernelStackKb != null) ? zones.reduce((s, z) => s + (z.counters.kernelStackKb ?? 0), 0) : null;
  if (stackKb != null) terms.push(['kernel_stack', stackKb]);
  const hugeKb = r.hugepages.reduce((s, h) => s + h.totalPages * h.sizeKb, 0);
  if (hugeKb > 0) terms.push(['hugepages', hugeKb]);
  const totalKb = totalPages * ps;
  // A page allocation failure prints its Mem-Info after the call trace, past the incident's own lines.
  const span = { input: inc.input, line: Math.min(inc.line, r.line), endLine: Math.max(inc.endLine, r.line + 80) };
  const accountedKb = terms.reduce((s, [, v]) => s + v, 0);
  const notes = ['The report prints no per-CPU or vmalloc counters, so a few MiB of the remainder is normal kernel use.'];
  if (managedZones != null && Math.abs(managedZones - totalPages) > totalPages * 0.01) notes.push(`The zone lines add up to ${Math.round(managedZones)} managed pages, not ${totalPages}: some zones were cut from this copy of the report, so the total comes from "pages RAM" − "pages reserved".`);
  return {
    index, incident: inc, source: 'mem-info', totalKb, accountedKb, unaccountedKb: totalKb - accountedKb, terms,
    formula: `(pages RAM − pages reserved) − (${terms.map(([n]) => n).join(' + ')})`,
    pageSizeKb: ps, taskRssPages, notes,
    evidence: (ctx) => ['Mem-Info:', 'active_anon:', 'slab_reclaimable:', 'free_pcp:', 'pages RAM', 'pages reserved']
      .map((n) => lineIn(ctx, span, n)).filter((e): e is EvidenceLine => e != null),
  };
}

/** Every report in the run that allows the sum, in input order. */
export function unaccountedReports(incidents: readonly Incident[]): Unaccounted[] {
  const out: Unaccounted[] = [];
  incidents.forEach((inc, index) => {
    let u: Unaccounted | null = null;
    if (inc.kind === 'meminfo_snapshot') u = fromMeminfo(inc, index);
    else if ((inc.kind === 'oom_kill' || inc.kind === 'page_alloc_failure' || inc.kind === 'sysrq_show_mem' || inc.kind === 'show_mem') && inc.memInfoReport && !('cgroupOom' in inc && inc.cgroupOom)) {
      u = fromMemInfoReport(inc.memInfoReport, inc, index, inc.kind === 'oom_kill' ? inc.processTable?.sumRssPages ?? null : null);
    }
    if (u) out.push(u);
  });
  return out;
}

/**
 * Large enough to report: 10 % of RAM, or 1 GiB on big machines. On a 1 TiB host 1 GiB is 0.1 %,
 * within what per-CPU, vmalloc and other uncounted kernel memory normally take, so the 1 GiB
 * branch also asks for 1 % of RAM.
 */
export function isLarge(u: Unaccounted): boolean {
  return u.unaccountedKb >= u.totalKb * 0.1 || (u.unaccountedKb >= 1024 * 1024 && u.unaccountedKb >= u.totalKb * 0.01);
}
