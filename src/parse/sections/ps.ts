import type { Line, Problem } from '../../model/common.js';
import type { PsSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, problem, runsTool } from './util/lines.js';
import { looksLikeRow, processHeader, processRow } from './util/process-table.js';

// ps in any of its layouts (procps "ps aux", "ps -ef", "ps -eo …", busybox "PID USER COMMAND"),
// mapped by header names. Crash's own ps ("PID PPID CPU TASK ST …") is crash-ps's, and sysstat
// headers start with a time, so neither is claimed here.
const COMMAND = /^(\S*\/)?ps(\s|$)/;

function header(text: string): string[] | null {
  const cols = processHeader(text);
  if (!cols || /^\d|^Average:/.test(cols[0]) || cols.includes('TASK') || cols.includes('%VSZ')) return null;
  return cols;
}

function detect(lines: readonly Line[], i: number): number {
  const t = lines[i].text;
  const start = /\bps\b/.test(t) && runsTool(t, COMMAND) ? i + 1 : i;
  const columns = start < lines.length ? header(lines[start].text) : null;
  if (!columns) return 0;
  let j = start + 1;
  while (j < lines.length && looksLikeRow(columns, lines[j].text)) j++;
  return j > start + 1 ? j - i : 0;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const at = header(lines[0]?.text ?? '') ? 0 : 1;
  const columns = header(lines[at]?.text ?? '') ?? [];
  const incident: PsSnapshotIncident = {
    kind: 'ps_snapshot', ...frame(lines, 0, lines.length - 1, 'ps'), columns, processes: [],
  };
  if (columns.length === 0) {
    for (const l of lines) problems.push(problem(l, `ps output without a header line: ${l.text.trim()}`));
    return { incidents: [], problems };
  }
  for (const l of lines.slice(at + 1)) {
    const row = processRow(columns, l, problems);
    if (row) incident.processes.push(row);
  }
  return { incidents: [incident], problems };
}

export const ps: SectionParser = {
  id: 'ps',
  description: 'ps output (aux, -ef, -eo, busybox), mapped by its header',
  detect,
  parse,
};
