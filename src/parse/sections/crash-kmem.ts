import type { Line, Problem } from '../../model/common.js';
import type { CrashKmemIncident, CrashKmemRow } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { outputStart, extentFrom } from './util/crash.js';
import { frame, int, isBlank, problem } from './util/lines.js';

// crash "kmem -i": "PAGES TOTAL PERCENTAGE", then rows "FREE 20622 80.6 MB 0% of TOTAL MEM".
// PAGES is exact; TOTAL is crash's rounded size text; COMMITTED is a percent "of TOTAL LIMIT".
// Column alignment is lost in copies from web pages (seed 004), so rows are read by shape.
const HEADER = /^\s*PAGES\s+TOTAL\s+PERCENTAGE\s*$/;
const ROW = /^\s*([A-Z][A-Z ]*[A-Z])\s+(\d+)\s+(.+?)\s+(?:----|(\d+)% of ([A-Z][A-Z ]*[A-Z]))\s*$/;
const NAMES: Record<string, keyof CrashKmemIncident> = {
  'TOTAL MEM': 'totalMemPages', FREE: 'freePages', USED: 'usedPages', SHARED: 'sharedPages',
  BUFFERS: 'buffersPages', CACHED: 'cachedPages', SLAB: 'slabPages', 'TOTAL SWAP': 'totalSwapPages',
  'SWAP USED': 'swapUsedPages', 'COMMIT LIMIT': 'commitLimitPages', COMMITTED: 'committedPages',
};
const UNIT_KB: Record<string, number> = { KB: 1, MB: 1024, GB: 1024 ** 2, TB: 1024 ** 3 };

function detect(lines: readonly Line[], i: number): number {
  const s = outputStart(lines, i, /^kmem\s+-i\b/);
  if (!s || s.at >= lines.length || !HEADER.test(lines[s.at].text)) return 0;
  return extentFrom(lines, i, s.at + 1, (t) => ROW.test(t)) || s.at - i + 1;
}

/** The page size every row agrees with, given crash's rounding of the size text; else null. */
function impliedPageSizeKb(rows: CrashKmemRow[]): number | null {
  const checks = rows.flatMap((r) => {
    const m = /^([\d.]+) ([KMGT]B)$/.exec(r.sizeText);
    if (!m || r.pages === 0) return [];
    const step = (m[1].includes('.') ? 0.05 : 0.5) * UNIT_KB[m[2]];
    return [{ kb: Number(m[1]) * UNIT_KB[m[2]], pages: r.pages, step }];
  });
  const fits = [4, 8, 16, 64].filter((p) => checks.length > 0 && checks.every((c) => Math.abs(c.pages * p - c.kb) <= c.step));
  return fits.length === 1 ? fits[0] : null;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const s = outputStart(lines, 0, /^kmem/);
  const incident: CrashKmemIncident = {
    kind: 'crash_kmem', ...frame(lines, 0, lines.length - 1, 'crash-kmem'), rows: [], totalMemPages: null,
    freePages: null, usedPages: null, sharedPages: null, buffersPages: null, cachedPages: null, slabPages: null,
    totalSwapPages: null, swapUsedPages: null, commitLimitPages: null, committedPages: null,
    committedPercentOfLimit: null, pageSizeKb: null,
  };
  for (const l of lines.slice(s?.command ? 1 : 0)) {
    if (isBlank(l) || HEADER.test(l.text)) continue;
    const m = ROW.exec(l.text);
    const pages = int(m?.[2]);
    if (!m || pages === null) {
      problems.push(problem(l, `kmem -i line not understood: ${l.text.trim()}`));
      continue;
    }
    const row: CrashKmemRow = { label: m[1], pages, sizeText: m[3], percent: int(m[4]), percentOf: m[5] ?? null, line: l.line };
    incident.rows.push(row);
    if (NAMES[row.label]) (incident as unknown as Record<string, number>)[NAMES[row.label]] = pages;
    if (row.label === 'COMMITTED') incident.committedPercentOfLimit = row.percent;
  }
  incident.pageSizeKb = impliedPageSizeKb(incident.rows);
  return { incidents: [incident], problems };
}

export const crashKmem: SectionParser = {
  id: 'crash-kmem',
  description: 'crash "kmem -i" memory summary',
  detect,
  parse,
};
