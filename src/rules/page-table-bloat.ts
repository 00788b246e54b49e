import { formatKb } from '../model/units.js';
import { holderCause } from './util/holder-cause.js';

// Page tables are per process: N processes mapping the same big region (forks of a large process,
// many workers) pay for it N times, and a sparse mapping costs a 4 KiB table per 2 MiB touched.
export const pageTableBloat = holderCause({
  id: 'page-table-bloat', holder: 'page-tables', subject: 'Page tables', warningShare: 0.1, criticalShare: 0.3,
  description: 'Page tables hold much of RAM: many processes mapping large (often sparse) address spaces.',
  meminfoLine: 'PageTables:', reportLine: 'pagetables:',
  title: (h, _a, share) => `Page tables hold ${formatKb(h.kb)} (${share})`,
  explain: (_h, _a, _ctx, inc) => {
    const rows = inc.kind === 'oom_kill' ? inc.processTable?.all ?? [] : [];
    const withPt = rows.filter((r) => r.pgtablesBytes != null).sort((x, y) => (y.pgtablesBytes ?? 0) - (x.pgtablesBytes ?? 0));
    const byComm = new Map<string, { n: number; bytes: number }>();
    for (const r of withPt) { const e = byComm.get(r.comm) ?? { n: 0, bytes: 0 }; e.n++; e.bytes += r.pgtablesBytes!; byComm.set(r.comm, e); }
    const [top] = [...byComm].sort((x, y) => y[1].bytes - x[1].bytes);
    return [
      top ? `The task table's pgtables_bytes column: ${top[1].n} ${top[0]} process${top[1].n > 1 ? 'es' : ''} hold ${formatKb(Math.round(top[1].bytes / 1024))} of page tables.` : '',
      'Each process has its own page tables for what it maps: forked copies of a large process, or many workers mapping the same big file or heap, pay for the same range again and again, and a mapping touched once every 2 MiB costs a whole page table per touch.',
    ];
  },
  advice: ['Find the processes with the largest VmPTE in /proc/PID/status; fewer forks of big processes, threads instead of processes, or huge pages (one PMD entry instead of a page table per 2 MiB) cut it.'],
});
