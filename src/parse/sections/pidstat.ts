import type { Line } from '../../model/common.js';
import type { PidstatRow, PidstatSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, int, num } from './util/lines.js';
import { readTimedReport, reportStart, timedExtent } from './util/sysstat.js';

// pidstat -u/-d/-r/-w (sysstat ≥ 9). Each interval is a header line then one row per task that did
// something; an interval with only its header means no task did (seed 002: pidstat -d while the
// disk was saturated by page-cache refaults, which are charged to no task). Older sysstat prints
// %user rather than %usr. The command (last column) may hold spaces with -l.
const TOOL = /^(\S*\/)?pidstat(\s|$)/;
const isHeader = (f: string[]) => f.includes('PID') && f[f.length - 1] === 'Command';
const FIELDS: Record<string, keyof PidstatRow> = {
  '%CPU': 'cpuPercent', '%usr': 'userPercent', '%user': 'userPercent', '%system': 'systemPercent',
  '%wait': 'waitPercent', CPU: 'cpu', 'kB_rd/s': 'readKbPerSec', 'kB_wr/s': 'writeKbPerSec',
  'kB_ccwr/s': 'cancelledWriteKbPerSec', iodelay: 'iodelayTicks', 'minflt/s': 'minorFaultsPerSec',
  'majflt/s': 'majorFaultsPerSec', VSZ: 'vszKb', RSS: 'rssKb', '%MEM': 'memPercent',
};

function detect(lines: readonly Line[], i: number): number {
  const s = reportStart(lines, i, TOOL);
  return s ? timedExtent(lines, i, s.at, isHeader) : 0;
}

function row(columns: string[], fields: string[], l: Line): PidstatRow | null {
  if (fields.length < columns.length) return null;
  const r: PidstatRow = {
    pid: -1, uid: null, command: fields.slice(columns.length - 1).join(' '), cpuPercent: null, userPercent: null,
    systemPercent: null, waitPercent: null, cpu: null, readKbPerSec: null, writeKbPerSec: null,
    cancelledWriteKbPerSec: null, iodelayTicks: null, minorFaultsPerSec: null, majorFaultsPerSec: null,
    vszKb: null, rssKb: null, memPercent: null, values: {}, line: l.line,
  };
  columns.slice(0, -1).forEach((c, k) => {
    const v = num(fields[k]);
    r.values[c] = v;
    if (FIELDS[c]) (r as unknown as Record<string, number | null>)[FIELDS[c]] = v;
  });
  const pid = int(fields[columns.indexOf('PID')]);
  if (pid === null) return null;
  r.pid = pid;
  r.uid = columns.includes('UID') ? int(fields[columns.indexOf('UID')]) : null;
  return r;
}

function parse(lines: readonly Line[]) {
  const { problems, ...report } = readTimedReport(lines, TOOL, 'pidstat', isHeader, row);
  const incident: PidstatSnapshotIncident = {
    kind: 'pidstat_snapshot', ...frame(lines, 0, lines.length - 1, 'pidstat'),
    command: report.command, host: report.host, intervals: report.intervals,
  };
  incident.timeText = report.timeText;
  return { incidents: [incident], problems };
}

export const pidstat: SectionParser = {
  id: 'pidstat',
  description: 'sysstat pidstat reports (-u, -d, -r, -w), every interval kept',
  detect,
  parse,
};
