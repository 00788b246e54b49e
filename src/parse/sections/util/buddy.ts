import type { BuddyZone } from '../../../model/snapshot-incidents.js';

/** Free pages in a zone's buddy lists: counts[k] blocks of 2^k pages. */
export function buddyZone(node: number, zone: string, counts: number[], line: number,
  byType: Record<string, number[]> | null = null): BuddyZone {
  let freePages = 0;
  let largestFreeOrder: number | null = null;
  counts.forEach((c, k) => {
    freePages += c * 2 ** k;
    if (c > 0) largestFreeOrder = k;
  });
  return { node, zone, counts, byType, freePages, largestFreeOrder, line };
}
