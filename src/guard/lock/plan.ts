import type { DaemonMaps } from './targets.js';

export const MAX_DEFAULT_BUDGET_BYTES = 256 * 1024 * 1024;

/** The smaller of 256 MiB and 5 % of RAM, in whole pages. */
export function defaultBudgetBytes(memTotalBytes: number, pageSize: number): number {
  const b = Math.min(MAX_DEFAULT_BUDGET_BYTES, Math.floor(memTotalBytes * 0.05));
  return b - (b % pageSize);
}

/** One file to lock: the union of the ranges the daemons map, page aligned. */
export interface LockItem {
  path: string;
  /** Identity of the mapped file (dev:inode from maps): a new inode means a new file to lock. */
  dev: string;
  inode: number;
  ranges: { offset: number; bytes: number }[];
  bytes: number;
  daemons: string[];
}

export interface Plan { items: LockItem[]; skipped: { path: string; bytes: number; reason: string }[]; budgetBytes: number }

/**
 * Pure: which mapped files to lock within the budget. Daemons in the order given (the guard itself
 * first: it is the one that must run when memory is short), each one's files in map order (its
 * executable first); a file shared by several (libc) counts once. A file that does not fit what is
 * left of the budget is skipped, and smaller ones after it may still fit.
 */
export function planLocks(daemons: DaemonMaps[], order: readonly string[], budgetBytes: number, pageSize: number): Plan {
  const rank = (n: string) => (n === 'memtriage' ? -1 : order.indexOf(n));
  const sorted = [...daemons].sort((a, b) => rank(a.name) - rank(b.name) || a.pid - b.pid);
  const byKey = new Map<string, LockItem>();
  for (const d of sorted) {
    for (const r of d.ranges) {
      const key = `${r.path}\0${r.dev}\0${r.inode}`;
      let item = byKey.get(key);
      if (!item) byKey.set(key, (item = { path: r.path, dev: r.dev, inode: r.inode, ranges: [], bytes: 0, daemons: [] }));
      if (!item.daemons.includes(d.name)) item.daemons.push(d.name);
      item.ranges.push({ offset: r.offset, bytes: Math.ceil(r.bytes / pageSize) * pageSize });
    }
  }
  const items: LockItem[] = [];
  const skipped: Plan['skipped'] = [];
  let used = 0;
  for (const item of byKey.values()) {
    item.ranges = merge(item.ranges);
    item.bytes = item.ranges.reduce((a, r) => a + r.bytes, 0);
    if (used + item.bytes <= budgetBytes) { items.push(item); used += item.bytes; }
    else skipped.push({ path: item.path, bytes: item.bytes, reason: `over budget (${used} of ${budgetBytes} bytes used)` });
  }
  return { items, skipped, budgetBytes };
}

/** Overlapping or touching ranges of one file joined (several processes map the same segments). */
function merge(ranges: { offset: number; bytes: number }[]): { offset: number; bytes: number }[] {
  const s = [...ranges].sort((a, b) => a.offset - b.offset);
  const out: { offset: number; bytes: number }[] = [];
  for (const r of s) {
    const last = out[out.length - 1];
    if (last && r.offset <= last.offset + last.bytes) last.bytes = Math.max(last.bytes, r.offset + r.bytes - last.offset);
    else out.push({ ...r });
  }
  return out;
}
