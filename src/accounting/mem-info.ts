import type { MemInfoReport } from '../model/kernel-incidents.js';
import { bySize, holder, type Accounting, type Holder } from './types.js';

// The counter line of show_mem() ("active_anon:125187 inactive_anon:2602 …"), in pages. Names as
// printed; shmem, mapped, dirty and writeback are pages on the LRU lists, so they are not terms.
const TERMS: [string, string][] = [
  ['active_anon', 'activeAnonPages'], ['inactive_anon', 'inactiveAnonPages'], ['isolated_anon', 'isolatedAnonPages'],
  ['active_file', 'activeFilePages'], ['inactive_file', 'inactiveFilePages'], ['isolated_file', 'isolatedFilePages'],
  ['unevictable', 'unevictablePages'], ['slab_reclaimable', 'slabReclaimablePages'], ['slab_unreclaimable', 'slabUnreclaimablePages'],
  ['pagetables', 'pagetablesPages'], ['sec_pagetables', 'secPagetablesPages'], ['kernel_misc_reclaimable', 'kernelMiscReclaimablePages'],
  ['free', 'freePages'], ['free_pcp', 'freePcpPages'],
];

// Printed by every show_mem() since 2.6.28 (unevictable) / 2.6.32 (the rest of this set).
const REQUIRED = ['activeAnonPages', 'inactiveAnonPages', 'activeFilePages', 'inactiveFilePages', 'unevictablePages',
  'slabReclaimablePages', 'slabUnreclaimablePages', 'pagetablesPages', 'freePages'];

const TO_GET = 'the whole report, from the "invoked oom-killer" (or "page allocation failure") line to its last "pages hwpoisoned"/"Killed process" line, from `journalctl -k` or /var/log/kern.log';

/**
 * Adds up the Mem-Info block of an OOM report, allocation failure or sysrq `m`: managed pages
 * (pages RAM − pages reserved) against the LRU lists, slab, page tables, kernel stacks, free and
 * per-CPU free lists, and the huge-page pool (hugetlb pages are on no LRU list).
 */
export function accountMemInfo(r: MemInfoReport): Accounting {
  const ps = r.pageSizeKb;
  const mi = r.memInfo;
  const missing: string[] = [];
  const estimates: string[] = [];
  if (ps == null) missing.push('a buddy-list line (it gives the page size)');
  for (const k of REQUIRED) if (mi[k] == null) missing.push(k.replace(/Pages$/, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  const p = ps ?? 0;
  // "pages RAM − pages reserved" is the whole machine; the zone lines may be cut (seed 000 shows node 0 only).
  const zonesComplete = r.zones.length > 0 && r.zones.every((z) => z.managedKb != null);
  const managedZonesKb = zonesComplete ? r.zones.reduce((s, z) => s + (z.managedKb ?? 0), 0) : null;
  let totalKb: number | null = null;
  let totalSource = 'pages RAM − pages reserved';
  if (r.ramPages != null && r.reservedPages != null && ps != null) totalKb = (r.ramPages - r.reservedPages) * ps;
  else if (managedZonesKb != null) { totalKb = managedZonesKb; totalSource = 'Σ zone managed'; }
  if (totalKb == null) missing.push('"pages RAM" and "pages reserved" (or every zone line with managed:)');
  else if (managedZonesKb != null && r.ramPages != null && Math.abs(managedZonesKb - totalKb) > totalKb * 0.01) {
    estimates.push(`The zone lines add up to ${Math.round(managedZonesKb / (ps || 1))} managed pages, not ${totalKb / (ps || 1)}: some zones were cut from this copy of the report, so the total comes from "pages RAM" − "pages reserved".`);
  }

  const terms: [string, number][] = [];
  for (const [name, key] of TERMS) if (mi[key] != null) terms.push([name, mi[key] * p]);
  // kernel_stack is in kB, on the node lines since 4.x and on the zone lines before.
  const nodeStacks = r.nodes.filter((n) => n.counters.kernelStackKb != null);
  const stackKb = nodeStacks.length ? nodeStacks.reduce((s, n) => s + n.counters.kernelStackKb, 0)
    : r.zones.some((z) => z.counters.kernelStackKb != null) ? r.zones.reduce((s, z) => s + (z.counters.kernelStackKb ?? 0), 0) : null;
  if (stackKb != null) terms.push(['kernel_stack', stackKb]);
  else missing.push('kernel_stack (on the Node or zone lines)');
  if (r.hugepages.length === 0) {
    // Printed for every huge page size by kernels with CONFIG_HUGETLB_PAGE (all distribution kernels):
    // without these lines a reserved pool would look like memory held by nothing.
    missing.push('the "Node N hugepages_total=…" lines');
  }
  const hugeKb = r.hugepages.reduce((s, h) => s + h.totalPages * h.sizeKb, 0);
  if (r.hugepages.length) terms.push(['hugepages', hugeKb]);
  if (mi.freePcpPages == null) estimates.push('This report prints no free_pcp (before 4.x): free pages on per-CPU lists are part of the remainder.');
  estimates.push('The report prints no per-CPU or vmalloc counters, so a few MiB of the remainder is normal kernel use.');

  const pg = (k: string) => (mi[k] ?? 0) * p;
  const hs: Holder[] = [];
  const anonLru = pg('activeAnonPages') + pg('inactiveAnonPages') + pg('isolatedAnonPages');
  const shmem = mi.shmemPages != null ? mi.shmemPages * p : null;
  // shmem/tmpfs pages sit on the anon LRU lists (unevictable when locked or on ramfs).
  const shmemInAnon = shmem != null && shmem <= anonLru ? shmem : 0;
  hs.push(holder('anon', 'process memory (anonymous)', anonLru - shmemInAnon, 'active_anon + inactive_anon + isolated_anon' + (shmemInAnon ? ' − shmem' : '')));
  if (shmem != null) hs.push(holder('shmem', 'shared memory (tmpfs, shm)', shmem, 'shmem', { note: shmemInAnon ? 'on the anon LRU lists' : 'on the unevictable list' }));
  hs.push(holder('page-cache', 'page cache (files)', pg('activeFilePages') + pg('inactiveFilePages') + pg('isolatedFilePages'), 'active_file + inactive_file + isolated_file'));
  if (mi.unevictablePages != null) hs.push(holder('unevictable', 'unevictable (mlocked, ramfs)', pg('unevictablePages') - (shmem != null && !shmemInAnon ? shmem : 0), 'unevictable'));
  hs.push(holder('slab', 'kernel slab', pg('slabReclaimablePages') + pg('slabUnreclaimablePages'), 'slab_reclaimable + slab_unreclaimable',
    { split: { reclaimableKb: pg('slabReclaimablePages'), unreclaimableKb: pg('slabUnreclaimablePages') } }));
  if (mi.kernelMiscReclaimablePages) hs.push(holder('kernel-misc-reclaimable', 'other reclaimable kernel', pg('kernelMiscReclaimablePages'), 'kernel_misc_reclaimable'));
  if (stackKb != null) hs.push(holder('kernel-stack', 'kernel stacks', stackKb, 'kernel_stack'));
  hs.push(holder('page-tables', 'page tables', pg('pagetablesPages'), 'pagetables'));
  if (mi.secPagetablesPages != null) hs.push(holder('sec-page-tables', 'secondary page tables (KVM, IOMMU)', pg('secPagetablesPages'), 'sec_pagetables'));
  hs.push(holder('free', 'free', pg('freePages'), 'free'));
  if (mi.freePcpPages != null) hs.push(holder('per-cpu-free', 'free on per-cpu lists', pg('freePcpPages'), 'free_pcp'));
  if (r.hugepages.length) hs.push(holder('hugetlb', 'huge-page pool', hugeKb, 'hugepages_total × hugepages_size'));

  const accountedKb = terms.reduce((s, [, v]) => s + v, 0);
  const cmaKb = r.cmaReservedPages != null && ps != null ? r.cmaReservedPages * ps : null;
  return {
    source: 'mem-info', totalKb, totalSource, pageSizeKb: ps,
    holders: bySize(hs), accountedKb,
    unaccountedKb: totalKb != null && missing.length === 0 ? totalKb - accountedKb : null,
    missing, toGet: missing.length ? TO_GET : null, estimates, terms,
    formula: `(${totalSource}) − (${terms.map(([n]) => n).join(' + ')})`,
    hugePools: r.hugepages.map((h) => ({ node: h.node, sizeKb: h.sizeKb, totalPages: h.totalPages, freePages: h.freePages, reservedPages: null, surplusPages: h.surplusPages })),
    cma: cmaKb != null ? { totalKb: cmaKb, freeKb: mi.freeCmaPages != null ? mi.freeCmaPages * p : null } : null,
    generation: null,
  };
}
