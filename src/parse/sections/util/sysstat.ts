import type { Line, Problem } from '../../../model/common.js';
import type { SysstatHost, SysstatInterval } from '../../../model/snapshot-incidents.js';
import { claimed, isBlank, problem, promptCommand, runsTool, words } from './lines.js';

// sysstat (pidstat, mpstat, iostat) prints a banner "Linux 4.9.37 (OpenWrt)  03/15/22  _armv7l_  (2 CPU)"
// (seed 002 also shows "_armv7l_(2 CPU)" without the space), then one block per interval. pidstat
// and mpstat start each line with the time ("16:28:02", "04:28:02 PM" under a 12-hour locale, or
// "Average:"). The date's order follows the locale, so it is kept as text. A machine with no
// hostname set prints "Linux 6.1.0-53-amd64 ((none))" (the kernel's default "(none)" in parentheses).
const BANNER = /^Linux (\S+) \((.*)\)\s+(\S+)\s+(\S+?)\s*\((\d+) CPU\)\s*$/;
const TIME = /^(\d\d:\d\d:\d\d(?: ?[AP]M)?|Average:)\s+/;

export function parseBanner(text: string): SysstatHost | null {
  const m = BANNER.exec(text);
  if (!m) return null;
  return { kernelVersion: m[1], host: m[2], dateText: m[3], arch: m[4], cpus: Number(m[5]) };
}

export function isBanner(text: string): boolean {
  return text.startsWith('Linux ') && BANNER.test(text);
}

/** "16:28:02  0  31 …" → time "16:28:02" and the fields after it; null when no time leads. */
export function timed(text: string): { time: string; average: boolean; fields: string[] } | null {
  const m = TIME.exec(text);
  if (!m) return null;
  return { time: m[1], average: m[1] === 'Average:', fields: words(text.slice(m[0].length)) };
}

/** Where the report proper starts: after an optional command line and banner (and blanks). */
export function reportStart(lines: readonly Line[], i: number, tool: RegExp): { at: number; command: string | null } | null {
  let j = i;
  let command: string | null = null;
  const t = lines[i].text;
  if (!TIME.test(t) && !isBanner(t)) {
    if (!runsTool(t, tool)) return null;
    command = promptCommand(t) ?? t.trim();
    j++;
  }
  if (j < lines.length && isBanner(lines[j].text)) j++;
  while (j < lines.length && isBlank(lines[j])) j++;
  return j < lines.length ? { at: j, command } : null;
}

/**
 * Lines of a time-prefixed report from its first header at `at`: timed lines, blank lines between
 * intervals and a final "^C" all belong; anything else ends it. Returns the count from i.
 */
export function timedExtent(lines: readonly Line[], i: number, at: number, isHeader: (fields: string[]) => boolean): number {
  const first = timed(lines[at].text);
  if (!first || !isHeader(first.fields)) return 0;
  let j = at + 1;
  while (j < lines.length && (isBlank(lines[j]) || timed(lines[j].text))) j++;
  if (j < lines.length && lines[j].text.trim() === '^C') j++;
  return claimed(lines, i, j);
}

/** Reads a time-prefixed report (pidstat, mpstat) into intervals; rows that fit no header become problems. */
export function readTimedReport<Row>(
  lines: readonly Line[],
  tool: RegExp,
  name: string,
  isHeader: (fields: string[]) => boolean,
  row: (columns: string[], fields: string[], l: Line) => Row | null,
) {
  const problems: Problem[] = [];
  const s = lines.length > 0 ? reportStart(lines, 0, tool) : null;
  const out = { command: s?.command ?? null, host: null as SysstatHost | null, intervals: [] as SysstatInterval<Row>[], timeText: null as string | null };
  let current: SysstatInterval<Row> | null = null;
  for (const l of lines.slice(s?.command ? 1 : 0)) {
    const t = timed(l.text);
    if (isBlank(l) || l.text.trim() === '^C') continue;
    if (!t) {
      const host = parseBanner(l.text);
      if (host) out.host ??= host;
      else problems.push(problem(l, `${name} line not understood: ${l.text.trim()}`));
    } else if (isHeader(t.fields)) {
      current = { timeText: t.time, average: t.average, columns: t.fields, rows: [], line: l.line };
      out.intervals.push(current);
    } else {
      const r = current ? row(current.columns, t.fields, l) : null;
      if (r !== null && current) current.rows.push(r);
      else problems.push(problem(l, `${name} row does not fit its header: ${l.text.trim()}`));
    }
  }
  if (out.host?.dateText) out.timeText = `${out.host.dateText} ${out.intervals[0]?.timeText ?? ''}`.trim();
  return { ...out, problems };
}
