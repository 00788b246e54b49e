import { BITS, layoutOf, type Layout } from './layouts.js';

/**
 * The composite names, in the order the kernel's show_gfp_flags() tries them
 * (include/trace/events/mmflags.h): the first whose bits are all set is printed and its bits
 * taken away, then the single flags. Defined by bit names, so one list serves every layout; a
 * composite using a flag the layout lacks does not exist there.
 */
const COMPOSITES: [string, string[], (l: Layout) => boolean][] = [
  ['GFP_TRANSHUGE', ['__GFP_HIGHMEM', '__GFP_MOVABLE', '__GFP_HARDWALL', '__GFP_IO', '__GFP_FS', '__GFP_COMP', '__GFP_NOMEMALLOC', '__GFP_NOWARN', '__GFP_DIRECT_RECLAIM'], (l) => l !== 'v2.6'],
  ['GFP_TRANSHUGE_LIGHT', ['__GFP_HIGHMEM', '__GFP_MOVABLE', '__GFP_HARDWALL', '__GFP_IO', '__GFP_FS', '__GFP_COMP', '__GFP_NOMEMALLOC', '__GFP_NOWARN'], (l) => l !== 'v2.6'],
  ['GFP_HIGHUSER_MOVABLE', ['__GFP_RECLAIM', '__GFP_IO', '__GFP_FS', '__GFP_HARDWALL', '__GFP_HIGHMEM', '__GFP_MOVABLE'], () => true],
  ['GFP_HIGHUSER', ['__GFP_RECLAIM', '__GFP_IO', '__GFP_FS', '__GFP_HARDWALL', '__GFP_HIGHMEM'], () => true],
  ['GFP_USER', ['__GFP_RECLAIM', '__GFP_IO', '__GFP_FS', '__GFP_HARDWALL'], () => true],
  ['GFP_KERNEL_ACCOUNT', ['__GFP_RECLAIM', '__GFP_IO', '__GFP_FS', '__GFP_ACCOUNT'], (l) => l !== 'v2.6'],
  ['GFP_KERNEL', ['__GFP_RECLAIM', '__GFP_IO', '__GFP_FS'], () => true],
  ['GFP_NOFS', ['__GFP_RECLAIM', '__GFP_IO'], () => true],
  // GFP_ATOMIC: __GFP_HIGH alone before 4.4; HIGH|ATOMIC|KSWAPD_RECLAIM from 4.4 to 6.3 (the
  // v5.4 table keeps __GFP_ATOMIC, which a 6.4+ kernel simply never sets: 0x820 then).
  ['GFP_ATOMIC', ['__GFP_HIGH', '__GFP_ATOMIC', '__GFP_KSWAPD_RECLAIM'], (l) => l !== 'v2.6'],
  ['GFP_ATOMIC', ['__GFP_HIGH', '__GFP_KSWAPD_RECLAIM'], (l) => l === 'v5.4'],
  ['GFP_ATOMIC', ['__GFP_HIGH'], (l) => l === 'v2.6'],
  ['GFP_NOIO', ['__GFP_RECLAIM'], () => true],
  ['GFP_NOWAIT', ['__GFP_KSWAPD_RECLAIM'], (l) => l !== 'v2.6'],
  ['GFP_DMA', ['__GFP_DMA'], () => true],
  ['__GFP_HIGHMEM', ['__GFP_HIGHMEM'], () => true],
  ['GFP_DMA32', ['__GFP_DMA32'], () => true],
];

/** Single flags in the order the kernel prints them after the composites. */
const SINGLE_ORDER = ['__GFP_HIGH', '__GFP_ATOMIC', '__GFP_IO', '__GFP_FS', '__GFP_COLD', '__GFP_NOWARN', '__GFP_REPEAT', '__GFP_RETRY_MAYFAIL',
  '__GFP_NOFAIL', '__GFP_NORETRY', '__GFP_COMP', '__GFP_ZERO', '__GFP_NOMEMALLOC', '__GFP_MEMALLOC', '__GFP_HARDWALL', '__GFP_THISNODE',
  '__GFP_RECLAIMABLE', '__GFP_MOVABLE', '__GFP_ACCOUNT', '__GFP_KMEMCG', '__GFP_NOTRACK', '__GFP_WRITE', '__GFP_RECLAIM', '__GFP_DIRECT_RECLAIM',
  '__GFP_KSWAPD_RECLAIM', '__GFP_WAIT', '__GFP_NO_KSWAPD', '__GFP_OTHER_NODE', '__GFP_ZEROTAGS', '__GFP_SKIP_ZERO', '__GFP_SKIP_KASAN_UNPOISON',
  '__GFP_SKIP_KASAN_POISON', '__GFP_NOLOCKDEP'];

function bitsOf(layout: Layout): Map<string, number> {
  const m = new Map(BITS[layout]);
  // __GFP_RECLAIM: __GFP_WAIT before 4.4, DIRECT|KSWAPD after.
  m.set('__GFP_RECLAIM', layout === 'v2.6' ? m.get('__GFP_WAIT')! : m.get('__GFP_DIRECT_RECLAIM')! | m.get('__GFP_KSWAPD_RECLAIM')!);
  return m;
}

/**
 * Flag names of a bare hex mask as that kernel generation would print them, or null when the
 * version is unknown (a mask is never read with a guessed table). Bits no flag of the layout
 * names are kept as a trailing "0x…" entry, as the kernel does.
 */
export function decodeGfp(mask: string, kernelVersion: string | null): string[] | null {
  const layout = layoutOf(kernelVersion);
  if (!layout || !/^0x[0-9a-f]+$/i.test(mask)) return null;
  // gfp_t is a 32-bit unsigned int: anything wider is not a GFP mask.
  const value = parseInt(mask, 16);
  if (value > 0xffffffff) return null;
  let rest = value >>> 0;
  if (rest === 0) return ['0'];
  const bits = bitsOf(layout);
  const out: string[] = [];
  for (const [name, parts, has] of COMPOSITES) {
    if (!has(layout) || parts.some((p) => !bits.has(p))) continue;
    const v = parts.reduce((s, p) => s | bits.get(p)!, 0);
    if (v !== 0 && ((rest & v) >>> 0) === v) { out.push(name); rest = (rest & ~v) >>> 0; }
  }
  for (const name of SINGLE_ORDER) {
    const v = bits.get(name);
    if (v != null && v !== 0 && ((rest & v) >>> 0) === v) { out.push(name); rest = (rest & ~v) >>> 0; }
  }
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out;
}
