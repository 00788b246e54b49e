import type { OomKillIncident } from '../../../model/kernel-incidents.js';

const POWERS = [4, 8, 16, 64];

/**
 * The page size an OOM report implies. Best: its buddy lists, whose order-0 entry is one page
 * ("2150*4kB"). Without them (cgroup OOMs print no Mem-Info), the victim's rss in kB on the
 * "Killed process" line over its rss in pages in the task table gives it, when it divides to a
 * real page size. Otherwise null: we do not assume 4 KiB.
 */
export function inferPageSizeKb(inc: OomKillIncident): number | null {
  if (inc.memInfoReport?.pageSizeKb) return inc.memInfoReport.pageSizeKb;
  const row = inc.processTable?.all.find((r) => r.pid === inc.victim.pid);
  const v = inc.victim;
  if (!row) return null;
  const pairs: [number | null, number | null][] = [
    [v.anonRssKb, row.rssAnonPages],
    [v.anonRssKb != null && v.fileRssKb != null && v.shmemRssKb != null ? v.anonRssKb + v.fileRssKb + v.shmemRssKb : null, row.rssPages],
  ];
  for (const [kb, pages] of pairs) {
    if (kb == null || pages == null || pages === 0) continue;
    const ratio = kb / pages;
    if (POWERS.includes(ratio)) return ratio;
  }
  return null;
}
