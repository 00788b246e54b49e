import type { Line, Problem } from '../../../model/common.js';
import type { ProcessRow } from '../../../model/snapshot-incidents.js';
import { int, num, problem, sizeKb, words } from './lines.js';

/**
 * Process tables (ps, procps top, busybox top) mapped by their header names, since every tool
 * and version orders the columns its own way. The last column (COMMAND) takes the rest of the line.
 */
const LAST = new Set(['COMMAND', 'CMD', 'COMM', 'Command', 'ARGS']);
const STAT = ['STAT', 'S', 'STATUS', 'ST'];

export function processHeader(text: string): string[] | null {
  const cols = words(text);
  if (cols.length < 3 || !cols.includes('PID') || !LAST.has(cols[cols.length - 1])) return null;
  return cols;
}

/** Enough fields, and a number where the header has PID (ps aux puts USER first). */
export function looksLikeRow(columns: string[], text: string): boolean {
  const toks = words(text);
  return toks.length >= columns.length && /^\d+$/.test(toks[columns.indexOf('PID')] ?? '');
}

export function processRow(columns: string[], l: Line, problems: Problem[]): ProcessRow | null {
  const toks = words(l.text);
  if (toks.length < columns.length) {
    problems.push(problem(l, `process row has ${toks.length} fields, the header ${columns.length}: ${l.text.trim()}`));
    return null;
  }
  const v: Record<string, string> = {};
  columns.slice(0, -1).forEach((c, k) => (v[c] = toks[k]));
  // The command may hold runs of spaces ("/bin/sh -c  /usr/bin/python3"): cut it from the text.
  let rest = l.text.trimStart();
  for (let k = 0; k < columns.length - 1; k++) rest = rest.slice(rest.indexOf(toks[k]) + toks[k].length).trimStart();
  const pid = int(v.PID);
  if (pid === null) {
    problems.push(problem(l, `process row without a numeric PID: ${l.text.trim()}`));
    return null;
  }
  const vsz = v.VSZ ?? v.VIRT;
  return {
    pid,
    ppid: int(v.PPID),
    user: v.USER ?? v.UID ?? null,
    stat: STAT.map((s) => v[s]).find((s) => s !== undefined) ?? null,
    vszKb: sizeKb(vsz),
    vszText: vsz ?? null,
    rssKb: sizeKb(v.RSS ?? v.RES),
    cpuPercent: num(v['%CPU']?.replace(/%$/, '')),
    memPercent: num(v['%MEM']?.replace(/%$/, '')),
    command: rest.trimEnd(),
    line: l.line,
  };
}
