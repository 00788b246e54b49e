import { formatKb } from '../model/units.js';
import { holderCause } from './util/holder-cause.js';

// Huge pages reserved with vm.nr_hugepages / hugepages= leave the buddy allocator at once and stay
// out of it whether or not anything maps them: only hugetlbfs, SHM_HUGETLB and MAP_HUGETLB use them.
export const hugepagePool = holderCause({
  id: 'hugepage-pool', holder: 'hugetlb', warningShare: 0.25, criticalShare: 0.5,
  description: 'A reserved huge-page pool (vm.nr_hugepages) holds much of RAM: memory no ordinary allocation may use, free or not.',
  meminfoLine: 'HugePages_Total:', reportLine: 'hugepages_total=',
  title: (h, a, share) => {
    const free = a.hugePools.reduce((s, p) => s + p.freePages * p.sizeKb, 0);
    return `The huge-page pool holds ${formatKb(h.kb)} (${share}), ${formatKb(free)} of it unused, out of reach of ordinary allocations`;
  },
  explain: (h, a) => {
    const pools = a.hugePools.filter((p) => p.totalPages > 0).map((p) => `${p.totalPages} pages of ${formatKb(p.sizeKb)}${p.node != null ? ` on node ${p.node}` : ''} (${p.freePages} free${p.reservedPages != null ? `, ${p.reservedPages} reserved for mappings not yet touched` : ''}${p.surplusPages ? `, ${p.surplusPages} surplus` : ''})`);
    return [
      `Pool: ${pools.join('; ')}.`,
      'Huge pages are taken out of the general pool when they are reserved (vm.nr_hugepages, hugepages= on the kernel command line), used or not. Only programs that map hugetlbfs or ask for SHM_HUGETLB/MAP_HUGETLB can use them; every other allocation, and the OOM killer, see that memory as gone.',
      'Free pages in the pool are not free memory: an OOM with a large free pool means the pool is oversized for what uses it.',
    ];
  },
  advice: ['Size vm.nr_hugepages to what the huge-page users map (HugePages_Total − HugePages_Free + HugePages_Rsvd while they run), and check where it is set: /etc/sysctl.d, the kernel command line (hugepages=), a database\'s startup script.'],
});
