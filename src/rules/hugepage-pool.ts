import { formatKb } from '../model/units.js';
import { holderCause } from './util/holder-cause.js';
import { pct } from './util/snapshot-lines.js';

// Huge pages reserved with vm.nr_hugepages / hugepages= leave the buddy allocator at once and stay
// out of it whether or not anything maps them: only hugetlbfs, SHM_HUGETLB and MAP_HUGETLB use them.
export const hugepagePool = holderCause({
  id: 'hugepage-pool', holder: 'hugetlb', subject: 'The huge-page pool', warningShare: 0.25, criticalShare: 0.5,
  description: 'A huge-page pool (vm.nr_hugepages) holds much of RAM unused: memory no ordinary allocation may use.',
  // What fires is the unused part of the pool (free and not promised to a mapping): a pool a
  // database really uses is sized for it, one that sits unused is memory taken from everyone.
  measure: (_h, a) => a.hugePools.reduce((s, p) => s + Math.max(0, p.freePages - (p.reservedPages ?? 0)) * p.sizeKb, 0),
  meminfoLine: 'HugePages_Total:', reportLine: 'hugepages_total=',
  // An OOM report prints hugepages_free but not HugePages_Rsvd: its free pages may already be
  // promised to a mapping not yet touched (qemu 6.1 fixture: 100 of 130 free pages were). Then the
  // measure is an upper bound and the title says "free", never "unused".
  title: (h, a) => {
    const free = a.hugePools.reduce((s, p) => s + p.freePages * p.sizeKb, 0);
    const unused = a.hugePools.reduce((s, p) => s + Math.max(0, p.freePages - (p.reservedPages ?? 0)) * p.sizeKb, 0);
    const known = a.hugePools.every((p) => p.reservedPages != null);
    return `The huge-page pool holds ${formatKb(h.kb)} (${pct(h.kb, a.totalKb ?? h.kb)}), ${known ? `${formatKb(unused)} of it unused` : `${formatKb(free)} of it free (how much of that a mapping has reserved, the input does not say)`}, out of reach of ordinary allocations`;
  },
  explain: (h, a) => {
    const pools = a.hugePools.filter((p) => p.totalPages > 0).map((p) => `${p.totalPages} pages of ${formatKb(p.sizeKb)}${p.node != null ? ` on node ${p.node}` : ''} (${p.freePages} free${p.reservedPages != null ? `, ${p.reservedPages} reserved for mappings not yet touched` : ''}${p.surplusPages ? `, ${p.surplusPages} surplus` : ''})`);
    return [
      `Pool: ${pools.join('; ')}.`,
      'Huge pages are taken out of the general pool when they are reserved (vm.nr_hugepages, hugepages= on the kernel command line), used or not. Only programs that map hugetlbfs or ask for SHM_HUGETLB/MAP_HUGETLB can use them; every other allocation, and the OOM killer, see that memory as gone.',
      'Free pages in the pool are not free memory: an OOM with a large free pool means the pool is oversized for what uses it, unless a program has mapped them and not touched them yet.',
      a.hugePools.some((p) => p.reservedPages == null) ? 'The OOM report does not print how many free huge pages are reserved for such mappings: HugePages_Rsvd in /proc/meminfo (or /sys/kernel/mm/hugepages/*/resv_hugepages) tells.' : '',
    ];
  },
  advice: ['Size vm.nr_hugepages to what the huge-page users map (HugePages_Total − HugePages_Free + HugePages_Rsvd while they run), and check where it is set: /etc/sysctl.d, the kernel command line (hugepages=), a database\'s startup script.'],
});
