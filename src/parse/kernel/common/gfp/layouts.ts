/**
 * The GFP bit values, per generation of include/linux/gfp.h (include/linux/gfp_types.h since 6.0).
 * The low four zone bits never moved; the rest was renumbered several times. Each layout is the
 * set of `#define ___GFP_X 0x…u` lines of the kernels in its range, read from the headers
 * themselves (and checked against the names the kernel prints next to the hex since 4.6):
 *
 *  - 'v2.6': 2.6.18 – 4.3. __GFP_WAIT 0x10, __GFP_RECLAIMABLE 0x80000 (2.6.24+; __GFP_MOVABLE
 *    became the 0x08 zone bit in 2.6.24), __GFP_NOTRACK 0x200000 (2.6.31+, kmemcheck),
 *    __GFP_NO_KSWAPD 0x400000 (2.6.38+), __GFP_OTHER_NODE 0x800000 (3.0+), __GFP_WRITE 0x1000000
 *    (3.2+), __GFP_MEMALLOC 0x2000 (3.6+), __GFP_KMEMCG 0x100000 (3.8 – 3.18, then
 *    __GFP_NOACCOUNT in 4.1 – 4.3). Bits a kernel did not have are simply never set by it.
 *  - 'v4.4': 4.4 – 4.9. Mel Gorman's rework: __GFP_WAIT gone, __GFP_DIRECT_RECLAIM 0x400000 and
 *    __GFP_KSWAPD_RECLAIM 0x2000000 (together __GFP_RECLAIM), __GFP_ATOMIC 0x80000,
 *    __GFP_RECLAIMABLE moved to 0x10, __GFP_ACCOUNT 0x100000 (4.5+).
 *  - 'v4.10': 4.10 – 4.15. __GFP_OTHER_NODE removed: __GFP_WRITE 0x800000, __GFP_KSWAPD_RECLAIM
 *    0x1000000; __GFP_REPEAT became __GFP_RETRY_MAYFAIL (4.13); __GFP_NOLOCKDEP 0x2000000 (4.12,
 *    lockdep kernels). Seed 000 (4.15): 0x14050c0 = GFP_KERNEL|__GFP_NORETRY|__GFP_COMP.
 *  - 'v4.16': 4.16 – 5.3. __GFP_COLD and __GFP_NOTRACK removed and the bits closed up:
 *    __GFP_WRITE 0x100 … __GFP_DIRECT_RECLAIM 0x200000, __GFP_KSWAPD_RECLAIM 0x400000
 *    (GFP_KERNEL = 0x6000c0, GFP_HIGHUSER_MOVABLE = 0x6200ca).
 *  - 'v5.4': 5.4 onward. Alexey Dobriyan's reorder for smaller code: __GFP_ZERO 0x100,
 *    __GFP_ATOMIC 0x200 (removed in 6.4), __GFP_DIRECT_RECLAIM 0x400, __GFP_KSWAPD_RECLAIM 0x800 …
 *    __GFP_ACCOUNT 0x400000 (GFP_KERNEL = 0xcc0). The 5.10, 6.1 and 6.12 fixtures print these.
 */
export type Layout = 'v2.6' | 'v4.4' | 'v4.10' | 'v4.16' | 'v5.4';

const ZONE_BITS: [string, number][] = [['__GFP_DMA', 0x01], ['__GFP_HIGHMEM', 0x02], ['__GFP_DMA32', 0x04], ['__GFP_MOVABLE', 0x08]];

export const BITS: Record<Layout, [string, number][]> = {
  'v2.6': [...ZONE_BITS, ['__GFP_WAIT', 0x10], ['__GFP_HIGH', 0x20], ['__GFP_IO', 0x40], ['__GFP_FS', 0x80], ['__GFP_COLD', 0x100],
    ['__GFP_NOWARN', 0x200], ['__GFP_REPEAT', 0x400], ['__GFP_NOFAIL', 0x800], ['__GFP_NORETRY', 0x1000], ['__GFP_MEMALLOC', 0x2000],
    ['__GFP_COMP', 0x4000], ['__GFP_ZERO', 0x8000], ['__GFP_NOMEMALLOC', 0x10000], ['__GFP_HARDWALL', 0x20000], ['__GFP_THISNODE', 0x40000],
    ['__GFP_RECLAIMABLE', 0x80000], ['__GFP_KMEMCG', 0x100000], ['__GFP_NOTRACK', 0x200000], ['__GFP_NO_KSWAPD', 0x400000],
    ['__GFP_OTHER_NODE', 0x800000], ['__GFP_WRITE', 0x1000000]],
  'v4.4': [...ZONE_BITS, ['__GFP_RECLAIMABLE', 0x10], ['__GFP_HIGH', 0x20], ['__GFP_IO', 0x40], ['__GFP_FS', 0x80], ['__GFP_COLD', 0x100],
    ['__GFP_NOWARN', 0x200], ['__GFP_REPEAT', 0x400], ['__GFP_NOFAIL', 0x800], ['__GFP_NORETRY', 0x1000], ['__GFP_MEMALLOC', 0x2000],
    ['__GFP_COMP', 0x4000], ['__GFP_ZERO', 0x8000], ['__GFP_NOMEMALLOC', 0x10000], ['__GFP_HARDWALL', 0x20000], ['__GFP_THISNODE', 0x40000],
    ['__GFP_ATOMIC', 0x80000], ['__GFP_ACCOUNT', 0x100000], ['__GFP_NOTRACK', 0x200000], ['__GFP_DIRECT_RECLAIM', 0x400000],
    ['__GFP_OTHER_NODE', 0x800000], ['__GFP_WRITE', 0x1000000], ['__GFP_KSWAPD_RECLAIM', 0x2000000]],
  'v4.10': [...ZONE_BITS, ['__GFP_RECLAIMABLE', 0x10], ['__GFP_HIGH', 0x20], ['__GFP_IO', 0x40], ['__GFP_FS', 0x80], ['__GFP_COLD', 0x100],
    ['__GFP_NOWARN', 0x200], ['__GFP_RETRY_MAYFAIL', 0x400], ['__GFP_NOFAIL', 0x800], ['__GFP_NORETRY', 0x1000], ['__GFP_MEMALLOC', 0x2000],
    ['__GFP_COMP', 0x4000], ['__GFP_ZERO', 0x8000], ['__GFP_NOMEMALLOC', 0x10000], ['__GFP_HARDWALL', 0x20000], ['__GFP_THISNODE', 0x40000],
    ['__GFP_ATOMIC', 0x80000], ['__GFP_ACCOUNT', 0x100000], ['__GFP_NOTRACK', 0x200000], ['__GFP_DIRECT_RECLAIM', 0x400000],
    ['__GFP_WRITE', 0x800000], ['__GFP_KSWAPD_RECLAIM', 0x1000000], ['__GFP_NOLOCKDEP', 0x2000000]],
  'v4.16': [...ZONE_BITS, ['__GFP_RECLAIMABLE', 0x10], ['__GFP_HIGH', 0x20], ['__GFP_IO', 0x40], ['__GFP_FS', 0x80], ['__GFP_WRITE', 0x100],
    ['__GFP_NOWARN', 0x200], ['__GFP_RETRY_MAYFAIL', 0x400], ['__GFP_NOFAIL', 0x800], ['__GFP_NORETRY', 0x1000], ['__GFP_MEMALLOC', 0x2000],
    ['__GFP_COMP', 0x4000], ['__GFP_ZERO', 0x8000], ['__GFP_NOMEMALLOC', 0x10000], ['__GFP_HARDWALL', 0x20000], ['__GFP_THISNODE', 0x40000],
    ['__GFP_ATOMIC', 0x80000], ['__GFP_ACCOUNT', 0x100000], ['__GFP_DIRECT_RECLAIM', 0x200000], ['__GFP_KSWAPD_RECLAIM', 0x400000],
    ['__GFP_NOLOCKDEP', 0x800000]],
  'v5.4': [...ZONE_BITS, ['__GFP_RECLAIMABLE', 0x10], ['__GFP_HIGH', 0x20], ['__GFP_IO', 0x40], ['__GFP_FS', 0x80], ['__GFP_ZERO', 0x100],
    ['__GFP_ATOMIC', 0x200], ['__GFP_DIRECT_RECLAIM', 0x400], ['__GFP_KSWAPD_RECLAIM', 0x800], ['__GFP_WRITE', 0x1000], ['__GFP_NOWARN', 0x2000],
    ['__GFP_RETRY_MAYFAIL', 0x4000], ['__GFP_NOFAIL', 0x8000], ['__GFP_NORETRY', 0x10000], ['__GFP_MEMALLOC', 0x20000], ['__GFP_COMP', 0x40000],
    ['__GFP_NOMEMALLOC', 0x80000], ['__GFP_HARDWALL', 0x100000], ['__GFP_THISNODE', 0x200000], ['__GFP_ACCOUNT', 0x400000],
    ['__GFP_ZEROTAGS', 0x800000], ['__GFP_SKIP_ZERO', 0x1000000], ['__GFP_SKIP_KASAN_UNPOISON', 0x2000000], ['__GFP_SKIP_KASAN_POISON', 0x4000000],
    ['__GFP_NOLOCKDEP', 0x8000000]],
};

/** The layout of a kernel version ("4.15.0-184-generic" → 'v4.10'); null when it cannot be read. */
export function layoutOf(version: string | null): Layout | null {
  const m = version ? /^(\d+)\.(\d+)/.exec(version) : null;
  if (!m) return null;
  const v = Number(m[1]) * 1000 + Number(m[2]);
  if (v < 2006) return null;
  if (v < 4004) return 'v2.6';
  if (v < 4010) return 'v4.4';
  if (v < 4016) return 'v4.10';
  if (v < 5004) return 'v4.16';
  return 'v5.4';
}
