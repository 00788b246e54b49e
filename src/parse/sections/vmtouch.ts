import type { Line, Problem } from '../../model/common.js';
import type { PagecacheResidencyIncident, ResidencyFile } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, int, isBlank, num, problem, runsTool, skipBlank } from './util/lines.js';

// vmtouch [-v]: with -v, each file's path, then a progress bar redrawn with carriage returns
// ("\r[OOOo   ] 471/471", the last drawing is final); then the summary block
// ("Files: 2", "Resident Pages: 472/2139  1M/8M  22.1%"). It prints no per-file percent.
const TOOL = /^(\S*\/)?vmtouch(\s|$)/;
const BAR = /\[[^\]]*\]\s+(\d+)\/(\d+)\s*$/;
const SUMMARY = /^\s*(Files|Directories|Resident Pages|Touched Pages|Evicted Pages|Locked Pages|Elapsed):\s/;
const RESIDENT = /^\s*Resident Pages:\s+(\d+)\/(\d+)\s+\S+\/\S+\s+([\d.]+)%/;

const isBar = (t: string) => t.includes('\r') || BAR.test(t);
const isPath = (t: string) => t.startsWith('/') && !t.includes('\r');

function detect(lines: readonly Line[], i: number): number {
  // A blank line never starts a vmtouch section; without this, each blank line walked every
  // blank line after it (skipBlank below): 1 MB of blank lines took 46 s.
  if (isBlank(lines[i])) return 0;
  const t = lines[i].text;
  const start = t.includes('vmtouch') && runsTool(t, TOOL) ? i + 1 : i;
  let j = start;
  while (j + 1 < lines.length && isPath(lines[j].text) && isBar(lines[j + 1].text)) j += 2;
  const afterFiles = j;
  let k = skipBlank(lines, j);
  let resident = false;
  for (; k < lines.length && SUMMARY.test(lines[k].text); k++) resident ||= RESIDENT.test(lines[k].text);
  if (resident) return k - i;
  return afterFiles > start ? afterFiles - i : 0;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const files: ResidencyFile[] = [];
  const incident: PagecacheResidencyIncident = {
    kind: 'pagecache_residency', ...frame(lines, 0, lines.length - 1, 'vmtouch'), files, totals: null,
  };
  let path: { text: string; line: number } | null = null;
  for (const [k, l] of lines.entries()) {
    const t = l.text;
    let m: RegExpExecArray | null;
    if (isBlank(l) || (k === 0 && runsTool(t, TOOL))) continue;
    if (isPath(t)) path = { text: t.trimEnd(), line: l.line };
    else if (isBar(t) && path) {
      m = BAR.exec(t.split('\r').filter((s) => s.trim() !== '').pop() ?? '');
      if (m) files.push({ path: path.text, sizeBytes: null, pages: int(m[2]), cachedPages: int(m[1]), percent: null, line: path.line });
      else problems.push(problem(l, `vmtouch progress line not understood: ${t.replace(/\r/g, '\\r')}`));
      path = null;
    } else if ((m = RESIDENT.exec(t))) {
      incident.totals = { residentPages: int(m[1]), totalPages: int(m[2]), percent: num(m[3]) };
    } else if (!SUMMARY.test(t)) problems.push(problem(l, `vmtouch line not understood: ${t.trim()}`));
  }
  return { incidents: [incident], problems };
}

export const vmtouch: SectionParser = {
  id: 'vmtouch',
  description: 'vmtouch [-v] page-cache residency (per-file bars and the summary)',
  detect,
  parse,
};
