import type { Line, Problem } from '../../model/common.js';
import type { PsiLine, PsiSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, problem, runsTool } from './util/lines.js';

// /proc/pressure/{memory,io,cpu,irq} (kernel ≥ 4.20): "some avg10=… avg60=… avg300=… total=…" and
// "full …" (cpu has "full" since 5.13, all zeros at system level). total is µs stalled since boot.
// The file names no resource, so it comes from a "cat /proc/pressure/X" or "==> … <==" line before it.
const ROW = /^(some|full) avg10=(\d+\.\d+) avg60=(\d+\.\d+) avg300=(\d+\.\d+) total=(\d+)\s*$/;
const NAMED = /\/proc\/pressure\/(\w+)|pressure\/(\w+)/;
const COMMAND = /^(cat|head|tail)\s.*pressure\/\w+/;

function isNameLine(t: string): boolean {
  return (t.includes('pressure') && runsTool(t, COMMAND)) || /^==> \S*pressure\/\w+ <==\s*$/.test(t);
}

function detect(lines: readonly Line[], i: number): number {
  const t = lines[i].text;
  const start = isNameLine(t) ? i + 1 : i;
  let j = start;
  if (j < lines.length && /^(some|full) avg10=/.test(lines[j].text)) j++;
  if (j > start && j < lines.length && lines[j - 1].text.startsWith('some') && lines[j].text.startsWith('full avg10=')) j++;
  return j > start ? j - i : 0;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const incident: PsiSnapshotIncident = {
    kind: 'psi_snapshot', ...frame(lines, 0, lines.length - 1, 'psi'), resource: null, some: null, full: null,
  };
  for (const l of lines) {
    const m = ROW.exec(l.text);
    if (m) {
      const v: PsiLine = { avg10: Number(m[2]), avg60: Number(m[3]), avg300: Number(m[4]), totalUsec: Number(m[5]) };
      incident[m[1] as 'some' | 'full'] = v;
    } else if (isNameLine(l.text)) {
      const n = NAMED.exec(l.text);
      incident.resource = n ? (n[1] ?? n[2]) : null;
    } else problems.push(problem(l, `pressure (PSI) line not understood: ${l.text.trim()}`));
  }
  return { incidents: [incident], problems };
}

export const psi: SectionParser = {
  id: 'psi',
  description: '/proc/pressure/* (PSI some/full averages and totals)',
  detect,
  parse,
};
