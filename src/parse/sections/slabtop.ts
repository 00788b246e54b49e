import type { Line, Problem } from '../../model/common.js';
import type { SlabCache, SlabSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, int, isBlank, num, problem, skipBlank } from './util/lines.js';

// slabtop (procps) screen: five summary lines, a blank, the table. Seed 001 shows the summary lines
// can arrive garbled (digits of two columns run together): those values stay null, with a problem.
const SUMMARY = /^\s*(?:Active \/ Total|Minimum \/ Average)/;
const TOTALS = /^\s*Active \/ Total (Objects|Slabs|Caches|Size) \(% used\)\s*:\s*([\d.]+)K? \/ ([\d.]+)K? \(([\d.]+)%\)\s*$/;
const MINMAX = /^\s*Minimum \/ Average \/ Maximum Object\s*:\s*[\d.]+K \/ [\d.]+K \/ [\d.]+K\s*$/;
const HEADER = /^\s*OBJS\s+ACTIVE\s+USE\s+OBJ SIZE\s+SLABS\s+OBJ\/SLAB\s+CACHE SIZE\s+NAME\s*$/;
// OBJ SIZE is KiB rounded to 2 decimals ("0.04K" is a 40-byte object), CACHE SIZE whole KiB.
const ROW = /^\s*(\d+)\s+(\d+)\s+(\d+)%\s+([\d.]+)K\s+(\d+)\s+(\d+)\s+(\d+)K\s+(\S.*?)\s*$/;
const ROWISH = /^\s*\d+\s+\d+/;

function extent(lines: readonly Line[], i: number): number {
  let j = i;
  while (j < lines.length && SUMMARY.test(lines[j].text)) j++;
  j = skipBlank(lines, j);
  if (j >= lines.length || !HEADER.test(lines[j].text)) return 0;
  j++;
  while (j < lines.length && ROWISH.test(lines[j].text)) j++;
  return j - i;
}

function detect(lines: readonly Line[], i: number): number {
  const t = lines[i].text;
  return SUMMARY.test(t) || t.includes('OBJ/SLAB') ? extent(lines, i) : 0;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const caches: SlabCache[] = [];
  let summary: SlabSnapshotIncident['summary'] = null;
  for (const l of lines) {
    if (isBlank(l) || HEADER.test(l.text)) continue;
    if (SUMMARY.test(l.text)) {
      summary ??= { activeObjects: null, totalObjects: null, activeSlabs: null, totalSlabs: null,
        activeCaches: null, totalCaches: null, activeSizeKb: null, totalSizeKb: null };
      const m = TOTALS.exec(l.text);
      if (m) {
        const key = m[1] === 'Size' ? 'SizeKb' : m[1];
        Object.assign(summary, { [`active${key}`]: num(m[2]), [`total${key}`]: num(m[3]) });
      } else if (!MINMAX.test(l.text)) {
        problems.push(problem(l, `slabtop summary line is garbled, its values are left out: ${l.text.trim()}`));
      }
      continue;
    }
    const m = ROW.exec(l.text);
    if (!m) {
      problems.push(problem(l, `slabtop row not understood: ${l.text.trim()}`));
      continue;
    }
    const cache: SlabCache = {
      name: m[8], objects: int(m[1]), activeObjects: int(m[2]), objSizeBytes: null, objSizeKb: num(m[4]),
      slabs: int(m[5]), objPerSlab: int(m[6]), pagesPerSlab: null, cacheSizeKb: int(m[7]),
      cacheSizePages: null, usePercent: int(m[3]), line: l.line,
    };
    if ((cache.activeObjects ?? 0) > (cache.objects ?? 0)) {
      problems.push(problem(l, `${cache.name}: more active objects than objects; the copy may be garbled`, 'info'));
    }
    caches.push(cache);
  }
  const incident: SlabSnapshotIncident = {
    kind: 'slab_snapshot', ...frame(lines, 0, lines.length - 1, 'slabtop'), summary, caches,
  };
  return { incidents: [incident], problems };
}

export const slabtop: SectionParser = {
  id: 'slabtop',
  description: 'slabtop screen (summary lines and the OBJS/ACTIVE/…/NAME table)',
  detect,
  parse,
};
