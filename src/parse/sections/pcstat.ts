import type { Line, Problem } from '../../model/common.js';
import type { PagecacheResidencyIncident, ResidencyFile } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, int, num, problem } from './util/lines.js';

// pcstat / hcache boxed table (seed 001):
// | Name | Size (bytes) | Pages | Cached | Percent |, rows between "+----+" / "|----+" rules.
// Percent is printed zero-padded ("003.813"); Pages and Cached count pages of the host's page size.
const BOXED = /^[|+]/;
const RULE = /^[|+][-+|]+\s*$/;

function cells(text: string): string[] {
  return text.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
}

function headerOf(text: string): string[] | null {
  const c = cells(text);
  return BOXED.test(text) && c.includes('Name') && c.includes('Cached') ? c : null;
}

function detect(lines: readonly Line[], i: number): number {
  if (!BOXED.test(lines[i].text)) return 0;
  const at = RULE.test(lines[i].text) ? i + 1 : i;
  if (at >= lines.length || !headerOf(lines[at].text)) return 0;
  let j = at + 1;
  while (j < lines.length && BOXED.test(lines[j].text)) j++;
  return j - i;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const files: ResidencyFile[] = [];
  let header: string[] | null = null;
  for (const l of lines) {
    if (RULE.test(l.text)) continue;
    if (!header) {
      header = headerOf(l.text);
      if (!header) problems.push(problem(l, `residency table line before its header: ${l.text.trim()}`));
      continue;
    }
    const c = cells(l.text);
    if (c.length !== header.length) {
      problems.push(problem(l, `residency row has ${c.length} cells, the header ${header.length}: ${l.text.trim()}`));
      continue;
    }
    const v = (name: string) => c[header!.findIndex((h) => h.startsWith(name))];
    files.push({
      path: v('Name') ?? '', sizeBytes: int(v('Size')), pages: int(v('Pages')),
      cachedPages: int(v('Cached')), percent: num(v('Percent')), line: l.line,
    });
  }
  const incident: PagecacheResidencyIncident = {
    kind: 'pagecache_residency', ...frame(lines, 0, lines.length - 1, 'pcstat'), files, totals: null,
  };
  return { incidents: [incident], problems };
}

export const pcstat: SectionParser = {
  id: 'pcstat',
  description: 'pcstat / hcache page-cache residency table',
  detect,
  parse,
};
