import type { Line, Problem } from '../../model/common.js';
import type { BuddySnapshotIncident, BuddyZone } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { buddyZone } from './util/buddy.js';
import { frame, isBlank, problem } from './util/lines.js';

// /proc/pagetypeinfo: page block size, then free blocks per order split by migrate type
// ("Node 0, zone Normal, type Movable 2354 …"), then the number of page blocks of each type.
const BLOCK_ORDER = /^Page block order:\s*(\d+)\s*$/;
const PER_BLOCK = /^Pages per block:\s*(\d+)\s*$/;
const FREE_HEAD = /^Free pages count per migrate type at order/;
const FREE_ROW = /^Node\s+(\d+), zone\s+(\S+), type\s+(\S+)((?:\s+\d+)+)\s*$/;
const BLOCKS_HEAD = /^Number of blocks type/;
const BLOCKS_ROW = /^Node \d+, zone\s+\S+(?:\s+\d+)+\s*$/;
const FITS = [BLOCK_ORDER, PER_BLOCK, FREE_HEAD, FREE_ROW, BLOCKS_HEAD, BLOCKS_ROW, /^Node\s+\d+, zone/];

function detect(lines: readonly Line[], i: number): number {
  if (!BLOCK_ORDER.test(lines[i].text)) return 0;
  let j = i;
  let last = i;
  while (j < lines.length && (isBlank(lines[j]) || FITS.some((re) => re.test(lines[j].text)))) {
    if (!isBlank(lines[j])) last = j;
    j++;
  }
  return last - i + 1;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const byZone = new Map<string, { node: number; zone: string; types: Record<string, number[]>; line: number }>();
  let pageBlockOrder: number | null = null;
  let pagesPerBlock: number | null = null;
  for (const l of lines) {
    const t = l.text;
    let m: RegExpExecArray | null;
    if (isBlank(l) || FREE_HEAD.test(t) || BLOCKS_HEAD.test(t) || BLOCKS_ROW.test(t)) continue;
    if ((m = BLOCK_ORDER.exec(t))) pageBlockOrder = Number(m[1]);
    else if ((m = PER_BLOCK.exec(t))) pagesPerBlock = Number(m[1]);
    else if ((m = FREE_ROW.exec(t))) {
      const key = `${m[1]}/${m[2]}`;
      const z = byZone.get(key) ?? { node: Number(m[1]), zone: m[2], types: {}, line: l.line };
      z.types[m[3]] = m[4].trim().split(/\s+/).map(Number);
      byZone.set(key, z);
    } else problems.push(problem(l, `/proc/pagetypeinfo line not understood: ${t.trim()}`));
  }
  const zones: BuddyZone[] = [...byZone.values()].map((z) => {
    const orders = Math.max(0, ...Object.values(z.types).map((c) => c.length));
    const sum = Array.from({ length: orders }, (_, k) =>
      Object.values(z.types).reduce((s, c) => s + (c[k] ?? 0), 0));
    return buddyZone(z.node, z.zone, sum, z.line, z.types);
  });
  const incident: BuddySnapshotIncident = {
    kind: 'buddy_snapshot', ...frame(lines, 0, lines.length - 1, 'pagetypeinfo'),
    zones, pageBlockOrder, pagesPerBlock,
  };
  return { incidents: [incident], problems };
}

export const pagetypeinfo: SectionParser = {
  id: 'pagetypeinfo',
  description: '/proc/pagetypeinfo (free blocks per order and migrate type)',
  detect,
  parse,
};
