import type { Line, Problem } from '../../model/common.js';
import type { TopSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { claimed, frame, isBlank, num, problem } from './util/lines.js';
import { looksLikeRow, processHeader, processRow } from './util/process-table.js';

// procps top in batch mode (top -b). 3.3+ prints "KiB Mem :" or, since 3.3.13 by default, "MiB Mem :"
// with one decimal — so kB values derived from MiB carry top's rounding (memUnit says which).
// procps 3.2 prints "Mem:  2054384k total," and "Cpu(s):  2.3%us,".
const HEAD = /^top - (\d\d:\d\d:\d\d) up .*load average: ([\d.]+), ([\d.]+), ([\d.]+)\s*$/;
const SUMMARY = /^(Tasks|Threads|%?Cpu\S*|(?:[KMGTPE]iB )?Mem\s*:|(?:[KMGTPE]iB )?Swap\s*:|Mem:|Swap:)/;
const UNIT_KB: Record<string, number> = { KiB: 1, MiB: 1024, GiB: 1024 ** 2, TiB: 1024 ** 3 };
const MEM_KEYS: Record<string, keyof TopSnapshotIncident['mem']> = {
  'Mem total': 'totalKb', 'Mem used': 'usedKb', 'Mem free': 'freeKb', 'Mem buffers': 'buffersKb',
  'Mem buff/cache': 'buffCacheKb', 'Mem shared': 'sharedKb', 'Swap total': 'swapTotalKb', 'Swap used': 'swapUsedKb',
  'Swap free': 'swapFreeKb', 'Swap avail': 'availableKb', 'Swap cached': 'cachedKb',
};
const CPU_KEYS: Record<string, keyof TopSnapshotIncident['cpu']> = {
  us: 'userPercent', sy: 'systemPercent', ni: 'nicePercent', id: 'idlePercent', wa: 'iowaitPercent',
  hi: 'irqPercent', si: 'softirqPercent', st: 'stealPercent',
};

function detect(lines: readonly Line[], i: number): number {
  if (!HEAD.test(lines[i].text)) return 0;
  let j = i + 1;
  while (j < lines.length && (SUMMARY.test(lines[j].text) || isBlank(lines[j]))) j++;
  const columns = j < lines.length ? processHeader(lines[j].text) : null;
  if (!columns) return claimed(lines, i, j);
  j++;
  while (j < lines.length && looksLikeRow(columns, lines[j].text)) j++;
  return j - i;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const head = HEAD.exec(lines[0]?.text ?? '');
  const incident: TopSnapshotIncident = {
    kind: 'top_snapshot', ...frame(lines, 0, lines.length - 1, 'procps-top'), memUnit: null,
    mem: { totalKb: null, usedKb: null, freeKb: null, sharedKb: null, buffersKb: null, cachedKb: null,
      buffCacheKb: null, availableKb: null, swapTotalKb: null, swapUsedKb: null, swapFreeKb: null },
    cpu: { userPercent: null, systemPercent: null, nicePercent: null, idlePercent: null, iowaitPercent: null,
      irqPercent: null, softirqPercent: null, stealPercent: null },
    load: head ? { avg1: Number(head[2]), avg5: Number(head[3]), avg15: Number(head[4]) } : null,
    processes: [], elidedLines: 0,
  };
  incident.timeText = head ? head[1] : null;
  if (!head && lines[0]) problems.push(problem(lines[0], `not a top header line: ${lines[0].text.trim()}`));
  let columns: string[] | null = null;
  for (const l of lines.slice(1)) {
    const t = l.text;
    let m: RegExpExecArray | null;
    if (isBlank(l) || /^(Tasks|Threads)/.test(t)) continue;
    if (/^%?Cpu/.test(t)) {
      for (const c of t.matchAll(/([\d.]+)\s*%?\s*(us|sy|ni|id|wa|hi|si|st)\b/g)) incident.cpu[CPU_KEYS[c[2]]] = num(c[1]);
    } else if ((m = /^(?:([KMGTPE]iB) )?(Mem|Swap)\s*:/.exec(t))) {
      const unit = m[1] ?? 'KiB';
      incident.memUnit = unit;
      let read = 0;
      for (const v of t.matchAll(/([\d.]+)k?\s+(total|used|free|buffers|buff\/cache|shared|avail|cached)/g)) {
        const key = MEM_KEYS[`${m[2]} ${v[2]}`];
        if (key) incident.mem[key] = Math.round(Number(v[1]) * (UNIT_KB[unit] ?? 1));
        read++;
      }
      if (read === 0) problems.push(problem(l, `top memory line without values: ${t.trim()}`));
    } else if (!columns && (columns = processHeader(t))) {
      continue;
    } else if (columns) {
      const row = processRow(columns, l, problems);
      if (row) incident.processes.push(row);
    } else problems.push(problem(l, `top line not understood: ${t.trim()}`));
  }
  return { incidents: [incident], problems };
}

export const procpsTop: SectionParser = {
  id: 'procps-top',
  description: 'procps top batch screen (top -b)',
  detect,
  parse,
};
