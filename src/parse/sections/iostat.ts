import type { Line, Problem } from '../../model/common.js';
import type { IostatDevice, IostatSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { claimed, frame, isBlank, num, problem, words } from './util/lines.js';
import { parseBanner, reportStart } from './util/sysstat.js';

// iostat [-x] [-k|-m]: per report an optional "avg-cpu:" header and values line, then a "Device"
// header (older sysstat: "Device:") and one row per device. Columns differ across sysstat versions
// (avgqu-sz → aqu-sz, rsec/s with neither -k nor -m on old ones), so they are mapped by name.
const TOOL = /^(\S*\/)?iostat(\s|$)/;
const AVG_HEAD = /^avg-cpu:\s/;
const DEV_HEAD = /^Device:?\s/;
const NUMBERS = /^\s+[\d.,]+(\s+[\d.,]+)*\s*$/;
const DEV_ROW = /^\S+(\s+[\d.,]+)+\s*$/;
const STAMP = /^\d\d\/\d\d\/\d{2,4} \d\d:\d\d:\d\d( [AP]M)?\s*$/;
const FITS = [AVG_HEAD, DEV_HEAD, NUMBERS, DEV_ROW, STAMP];
// Per-device rates in kB: -m prints MB (×1024), old sysstat without -k sectors of 512 bytes (÷2).
const KB_COLS: Record<string, [keyof IostatDevice, number][]> = {
  'rkB/s': [['readKbPerSec', 1]], 'rMB/s': [['readKbPerSec', 1024]], 'rsec/s': [['readKbPerSec', 0.5]],
  'wkB/s': [['writeKbPerSec', 1]], 'wMB/s': [['writeKbPerSec', 1024]], 'wsec/s': [['writeKbPerSec', 0.5]],
  'r/s': [['readsPerSec', 1]], 'w/s': [['writesPerSec', 1]], r_await: [['readAwaitMs', 1]],
  w_await: [['writeAwaitMs', 1]], await: [['awaitMs', 1]], 'aqu-sz': [['queueSize', 1]],
  'avgqu-sz': [['queueSize', 1]], '%util': [['utilPercent', 1]],
};

function detect(lines: readonly Line[], i: number): number {
  const s = reportStart(lines, i, TOOL);
  if (!s || !(AVG_HEAD.test(lines[s.at].text) || DEV_HEAD.test(lines[s.at].text) || STAMP.test(lines[s.at].text))) return 0;
  let j = s.at;
  while (j < lines.length && (isBlank(lines[j]) || FITS.some((re) => re.test(lines[j].text)))) j++;
  return claimed(lines, i, j);
}

function device(columns: string[], l: Line): IostatDevice {
  const f = words(l.text);
  const d: IostatDevice = {
    device: f[0], readsPerSec: null, readKbPerSec: null, writesPerSec: null, writeKbPerSec: null,
    readAwaitMs: null, writeAwaitMs: null, awaitMs: null, queueSize: null, utilPercent: null, values: {}, line: l.line,
  };
  columns.slice(1).forEach((c, k) => {
    const v = num(f[k + 1]);
    d.values[c] = v;
    for (const [key, mult] of KB_COLS[c] ?? []) (d as unknown as Record<string, number | null>)[key] = v === null ? null : v * mult;
  });
  return d;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const s = lines.length > 0 ? reportStart(lines, 0, TOOL) : null;
  const incident: IostatSnapshotIncident = {
    kind: 'iostat_snapshot', ...frame(lines, 0, lines.length - 1, 'iostat'),
    command: s?.command ?? null, host: null, intervals: [],
  };
  const sinceBootFirst = !/\s-\w*y/.test(s?.command ?? '');
  type Interval = IostatSnapshotIncident['intervals'][number];
  let cur: Interval | null = null;
  let avgCols: string[] | null = null;
  const open = (l: Line): Interval => {
    const iv: Interval = { sinceBoot: incident.intervals.length === 0 && sinceBootFirst, avgCpu: null, columns: [], devices: [], line: l.line };
    incident.intervals.push(iv);
    return iv;
  };
  for (const l of lines.slice(s?.command ? 1 : 0)) {
    const t = l.text;
    if (isBlank(l)) continue;
    if (AVG_HEAD.test(t)) {
      cur = open(l);
      avgCols = words(t).slice(1);
    } else if (avgCols && cur && NUMBERS.test(t)) {
      const v = words(t);
      cur.avgCpu = Object.fromEntries(avgCols.map((c, k) => [c, num(v[k])]));
      avgCols = null;
    } else if (DEV_HEAD.test(t)) {
      if (!cur || cur.columns.length > 0) cur = open(l);
      cur.columns = words(t);
    } else if (cur && cur.columns.length > 0 && DEV_ROW.test(t) && words(t).length === cur.columns.length) {
      cur.devices.push(device(cur.columns, l));
    } else if (parseBanner(t)) {
      incident.host ??= parseBanner(t);
    } else if (!STAMP.test(t)) {
      problems.push(problem(l, `iostat line not understood: ${t.trim()}`));
    }
  }
  return { incidents: [incident], problems };
}

export const iostat: SectionParser = {
  id: 'iostat',
  description: 'sysstat iostat [-x] reports (devices mapped by column name), every report kept',
  detect,
  parse,
};
