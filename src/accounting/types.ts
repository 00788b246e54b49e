/**
 * The one memory accounting of memtriage: `where`, `analyze`'s rules, the guard and the metrics
 * all read holders and the remainder from here, so they cannot disagree about the same input.
 */

/** A share of memory that one counter (or a fixed sum of counters) owns. Holders are disjoint. */
export interface Holder {
  /** Stable id, the same as `where --format json` part names: free, anon, page-cache, slab… */
  id: string;
  label: string;
  kb: number;
  bytes: number;
  /** The counter(s) it comes from, as the input prints them. */
  source: string;
  /** Parts inside it (slab: reclaimable / unreclaimable), kB. */
  split?: Record<string, number>;
  /** What the input names inside it (processes of the task table, slab caches), largest first; not a sum. */
  inside?: { name: string; kb: number }[];
  note?: string;
}

/** One huge-page pool (one page size, one node, or the whole machine when node is null). */
export interface HugePool {
  node: number | null;
  sizeKb: number;
  totalPages: number;
  freePages: number;
  /** Promised to mappings but not yet faulted in (HugePages_Rsvd); null where not printed. */
  reservedPages: number | null;
  surplusPages: number | null;
}

export interface Accounting {
  /** What was added up: a /proc/meminfo, the Mem-Info block of a kernel report, or a cgroup's memory.stat. */
  source: 'meminfo' | 'mem-info' | 'memcg';
  /** MemTotal, or managed pages (pages RAM − reserved) for a report; null when the input lacks it. */
  totalKb: number | null;
  totalSource: string;
  pageSizeKb: number | null;
  /** Disjoint holders, biggest first. Only counters the input holds. */
  holders: Holder[];
  accountedKb: number;
  /** totalKb − accountedKb; null when `missing` is not empty (never a figure from absent counters). */
  unaccountedKb: number | null;
  /** Counters this input should hold for the sum and does not (cut paste, truncated report). */
  missing: string[];
  /** What to run (or paste) to get the missing counters; null when nothing is missing. */
  toGet: string | null;
  /** Assumptions the remainder depends on (uncounted per-CPU lists, vmap stacks…), in words. */
  estimates: string[];
  /** The terms of the sum by the names the input prints, kB, in order. */
  terms: [string, number][];
  formula: string;
  hugePools: HugePool[];
  /** CMA area (its free pages are inside free); null where not printed. */
  cma: { totalKb: number; freeKb: number | null } | null;
  /** The oldest kernel generation the counters present imply ("4.20"), or null. */
  generation: string | null;
}

export const holder = (id: string, label: string, kb: number, source: string, extra: Partial<Holder> = {}): Holder =>
  ({ id, label, kb, bytes: kb * 1024, source, ...extra });

/** The largest holder first (ties keep input order). */
export function bySize(hs: Holder[]): Holder[] {
  // A handful of holders, sorted once per report by several rules: an insertion sort (stable: a
  // holder moves only past smaller ones) instead of the general sort's set-up (issue 10). A kb that
  // is not a finite number (never from a parser) takes the general sort, whose order it decides.
  for (const h of hs) if (!Number.isFinite(h.kb)) return [...hs].sort((a, b) => b.kb - a.kb);
  const out = hs.slice();
  for (let i = 1; i < out.length; i++) {
    const h = out[i];
    let j = i - 1;
    for (; j >= 0 && out[j].kb < h.kb; j--) out[j + 1] = out[j];
    out[j + 1] = h;
  }
  return out;
}
