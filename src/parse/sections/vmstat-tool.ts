import type { Line, Problem } from '../../model/common.js';
import type { VmstatToolRow, VmstatToolSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, int, isBlank, problem, promptCommand, runsTool, words } from './util/lines.js';

// The vmstat tool (procps), not /proc/vmstat (proc-vmstat.ts): a group line
// "procs -----------memory---------- ---swap-- …" (-w: "--procs-- -----memory-----…"), the column
// line "r b swpd free buff cache si so bi bo in cs us sy id wa st" (procps 4 adds "gu"; -a prints
// inact/active for buff/cache; -t adds a timestamp group whose column is the time zone), then rows.
// vmstat reprints both header lines every screenful. -d, -s, -m print other tables: not read here.
const TOOL = /^(\S*\/)?vmstat(\s|$)/;
const GROUPS = /^\s*-*procs-*\s+-+memory-+/;
const TIMESTAMP = /-timestamp-/;
const KIB = 1024;
// -S k/K/m/M: KiB per printed unit (k and m are powers of 1000, K and M of 1024).
const UNIT: Record<string, number> = { k: 1000 / KIB, K: 1, m: 1e6 / KIB, M: KIB };

function isColumns(text: string): boolean {
  const w = words(text);
  return w[0] === 'r' && w[1] === 'b' && w.includes('free') && w.includes('si');
}

function detect(lines: readonly Line[], i: number): number {
  const t = lines[i].text;
  let j = i;
  if (t.includes('vmstat') && runsTool(t, TOOL)) j++;
  if (j + 1 >= lines.length || !GROUPS.test(lines[j].text) || !isColumns(lines[j + 1].text)) return 0;
  const width = words(lines[j + 1].text).length;
  j += 2;
  const start = j;
  while (j < lines.length) {
    const u = lines[j].text;
    if (GROUPS.test(u) || isColumns(u) || /^\s*\d/.test(u) && words(u).length >= width - 1) j++;
    else break;
  }
  return j > start ? j - i : 0;
}

function unitOf(command: string | null): number {
  const m = command ? /(?:-S\s*|--unit[= ])([kKmM])\b/.exec(command) : null;
  return m ? UNIT[m[1]] : 1;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  let command: string | null = null;
  let columns: string[] = [];
  let timed = false;
  const rows: VmstatToolRow[] = [];
  for (const l of lines) {
    const t = l.text;
    if (GROUPS.test(t)) {
      timed = TIMESTAMP.test(t);
      continue;
    }
    if (isColumns(t)) {
      // With -t the last column names the time zone ("UTC"); rows end with "2026-11-22 18:00:01".
      columns = timed ? words(t).slice(0, -1) : words(t);
      continue;
    }
    if (columns.length === 0) {
      if (command === null && runsTool(t, TOOL)) command = promptCommand(t) ?? t.trim();
      else if (!isBlank(l)) problems.push(problem(l, `vmstat line before its header: ${t.trim()}`));
      continue;
    }
    const toks = words(t);
    const timeText = timed && toks.length === columns.length + 2 ? toks.slice(-2).join(' ') : null;
    const nums = toks.slice(0, columns.length).map(int);
    if (toks.length !== columns.length + (timeText ? 2 : 0) || nums.some((n) => n === null)) {
      problems.push(problem(l, `vmstat row does not fit its ${columns.length} columns: ${t.trim()}`));
      continue;
    }
    rows.push({ values: Object.fromEntries(columns.map((c, n) => [c, nums[n]])), sinceBoot: false, timeText, line: l.line });
  }
  if (rows.length === 0 && columns.length === 0) return { incidents: [], problems };
  // Only the first row of a run averages since boot, and only when the run starts here (its header is ours).
  if (rows.length > 0) rows[0].sinceBoot = true;
  const incident: VmstatToolSnapshotIncident = {
    kind: 'vmstat_tool_snapshot', ...frame(lines, 0, lines.length - 1, 'vmstat-tool'), command,
    kbPerUnit: unitOf(command), columns, rows,
  };
  return { incidents: [incident], problems };
}

export const vmstatTool: SectionParser = {
  id: 'vmstat-tool',
  description: 'vmstat tool output (procs/memory/swap/io/system/cpu rows by header name), not /proc/vmstat',
  detect,
  parse,
};
