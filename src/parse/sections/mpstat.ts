import type { Line } from '../../model/common.js';
import type { MpstatRow, MpstatSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, int, num } from './util/lines.js';
import { readTimedReport, reportStart, timedExtent } from './util/sysstat.js';

// mpstat [-P ALL]: per interval a header "CPU %usr %nice %sys %iowait %irq %soft %steal %guest
// %gnice %idle" and one row per CPU ("all" first). sysstat < 8.1 spells them %user/%system;
// old kernels have no %steal/%guest columns, so columns are mapped by name.
const TOOL = /^(\S*\/)?mpstat(\s|$)/;
const isHeader = (f: string[]) => f[0] === 'CPU' && f.includes('%idle');
const FIELDS: Record<string, keyof MpstatRow> = {
  '%usr': 'userPercent', '%user': 'userPercent', '%nice': 'nicePercent', '%sys': 'systemPercent',
  '%system': 'systemPercent', '%iowait': 'iowaitPercent', '%irq': 'irqPercent', '%soft': 'softirqPercent',
  '%steal': 'stealPercent', '%idle': 'idlePercent',
};

function detect(lines: readonly Line[], i: number): number {
  const s = reportStart(lines, i, TOOL);
  return s ? timedExtent(lines, i, s.at, isHeader) : 0;
}

function row(columns: string[], fields: string[], l: Line): MpstatRow | null {
  const cpu = fields[0] === 'all' ? 'all' : int(fields[0]);
  if (cpu === null || fields.length !== columns.length) return null;
  const r: MpstatRow = {
    cpu, userPercent: null, nicePercent: null, systemPercent: null, iowaitPercent: null, irqPercent: null,
    softirqPercent: null, stealPercent: null, idlePercent: null, values: {}, line: l.line,
  };
  columns.slice(1).forEach((c, k) => {
    const v = num(fields[k + 1]);
    r.values[c] = v;
    if (FIELDS[c]) (r as unknown as Record<string, number | null>)[FIELDS[c]] = v;
  });
  return r;
}

function parse(lines: readonly Line[]) {
  const { problems, ...report } = readTimedReport(lines, TOOL, 'mpstat', isHeader, row);
  const incident: MpstatSnapshotIncident = {
    kind: 'mpstat_snapshot', ...frame(lines, 0, lines.length - 1, 'mpstat'),
    command: report.command, host: report.host, intervals: report.intervals,
  };
  incident.timeText = report.timeText;
  return { incidents: [incident], problems };
}

export const mpstat: SectionParser = {
  id: 'mpstat',
  description: 'sysstat mpstat [-P ALL] reports, every interval kept',
  detect,
  parse,
};
