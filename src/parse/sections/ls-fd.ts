import type { Line, Problem } from '../../model/common.js';
import type { FdListingIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, problem, runsTool } from './util/lines.js';

// "ls -l /proc/PID/fd": one symlink per descriptor, "lrwx------ 1 root root 64 Mar 17 15:06 27 ->
// /data/database/app.k (deleted)" (busybox pads the columns differently; the date format follows
// --time-style), so only the leading "l" mode, the fd number before "->" and the target are read.
const TOOL = /^ls\s+(-\S+\s+)*\/proc\/(\d+|self)\/fd\/?\s*$/;
const ROW = /^l[rwx-]{9}\S*\s+\d+\s+.*?\s(\d+) -> (.*)$/;
const ELIDED = /^\s*\.\.\.\s*$/;

const fits = (t: string) => ROW.test(t) || ELIDED.test(t) || /^total \d+\s*$/.test(t);

function detect(lines: readonly Line[], i: number): number {
  const t = lines[i].text;
  const start = t.includes('/fd') && runsTool(t, TOOL) ? i + 1 : i;
  if (start >= lines.length || ELIDED.test(lines[start].text) || !fits(lines[start].text)) return 0;
  let j = start;
  while (j < lines.length && fits(lines[j].text)) j++;
  return j - i;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const first = lines[0]?.text ?? '';
  const cmd = runsTool(first, TOOL) ? first : null;
  const pid = cmd ? /\/proc\/(\d+)\/fd/.exec(cmd)?.[1] : undefined;
  const incident: FdListingIncident = {
    kind: 'fd_listing', ...frame(lines, 0, lines.length - 1, 'ls-fd'),
    pid: pid ? Number(pid) : null, fds: [], elidedLines: 0,
  };
  for (const l of lines.slice(cmd ? 1 : 0)) {
    const m = ROW.exec(l.text);
    if (m) incident.fds.push({ fd: Number(m[1]), target: m[2], deleted: m[2].endsWith(' (deleted)'), line: l.line });
    else if (ELIDED.test(l.text)) incident.elidedLines++;
    else if (!/^total \d+/.test(l.text)) problems.push(problem(l, `fd listing line not understood: ${l.text.trim()}`));
  }
  return { incidents: [incident], problems };
}

export const lsFd: SectionParser = {
  id: 'ls-fd',
  description: 'ls -l /proc/PID/fd listings (open files, deleted ones flagged)',
  detect,
  parse,
};
