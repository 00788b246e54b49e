import type { Line, Problem } from '../../model/common.js';
import type { ProcessRow, TopSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, num, problem } from './util/lines.js';
import { looksLikeRow, processHeader, processRow } from './util/process-table.js';

// busybox top: "Mem: 621420K used, 40336K free, 1448K shrd, 116K buff, 5136K cached",
// "CPU:   1% usr  15% sys   0% nic   0% idle  83% io   0% irq   0% sirq", "Load average: …",
// then "PID PPID USER STAT VSZ %VSZ %CPU COMMAND" rows. VSZ is KiB until it outgrows its column,
// then "941m" (MiB, rounded). Pasted screens often cut rows out with "..." lines.
const MEM = /^Mem: \d+K used, /;
const FITS = [/^CPU\d*:\s+[\d.]+% usr/, /^Load average: /, /^\s*PID\s/, /^\s*\.\.\.\s*$/];
const MEM_KEYS: Record<string, keyof TopSnapshotIncident['mem']> = {
  used: 'usedKb', free: 'freeKb', shrd: 'sharedKb', buff: 'buffersKb', cached: 'cachedKb',
};
const CPU_KEYS: Record<string, keyof TopSnapshotIncident['cpu']> = {
  usr: 'userPercent', sys: 'systemPercent', nic: 'nicePercent', idle: 'idlePercent', io: 'iowaitPercent',
  irq: 'irqPercent', sirq: 'softirqPercent',
};

function detect(lines: readonly Line[], i: number): number {
  if (!MEM.test(lines[i].text)) return 0;
  let j = i + 1;
  let columns: string[] | null = null;
  while (j < lines.length) {
    const t = lines[j].text;
    if (!FITS.some((re) => re.test(t)) && !(columns && looksLikeRow(columns, t))) break;
    columns ??= processHeader(t);
    j++;
  }
  return j - i;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const incident: TopSnapshotIncident = {
    kind: 'top_snapshot', ...frame(lines, 0, lines.length - 1, 'busybox-top'), memUnit: 'KiB',
    mem: { totalKb: null, usedKb: null, freeKb: null, sharedKb: null, buffersKb: null, cachedKb: null,
      buffCacheKb: null, availableKb: null, swapTotalKb: null, swapUsedKb: null, swapFreeKb: null },
    cpu: { userPercent: null, systemPercent: null, nicePercent: null, idlePercent: null, iowaitPercent: null,
      irqPercent: null, softirqPercent: null, stealPercent: null },
    load: null, processes: [], elidedLines: 0,
  };
  let columns: string[] | null = null;
  for (const l of lines) {
    const t = l.text;
    if (MEM.test(t)) {
      for (const m of t.matchAll(/(\d+)K (\w+)/g)) if (MEM_KEYS[m[2]]) incident.mem[MEM_KEYS[m[2]]] = Number(m[1]);
    } else if (/^CPU:/.test(t)) {
      for (const m of t.matchAll(/([\d.]+)% (\w+)/g)) if (CPU_KEYS[m[2]]) incident.cpu[CPU_KEYS[m[2]]] = num(m[1]);
    } else if (/^CPU\d+:/.test(t)) {
      continue; // per-CPU lines (top -1 / SMP builds); the CPU: total line carries the summary
    } else if (/^Load average: /.test(t)) {
      const m = /^Load average: ([\d.]+) ([\d.]+) ([\d.]+)/.exec(t);
      if (m) incident.load = { avg1: Number(m[1]), avg5: Number(m[2]), avg15: Number(m[3]) };
      else problems.push(problem(l, `busybox top load line not understood: ${t.trim()}`));
    } else if (/^\s*\.\.\.\s*$/.test(t)) {
      incident.elidedLines++;
    } else if (!columns && (columns = processHeader(t))) {
      continue;
    } else if (columns) {
      const row: ProcessRow | null = processRow(columns, l, problems);
      if (row) incident.processes.push(row);
    } else problems.push(problem(l, `busybox top line not understood: ${t.trim()}`));
  }
  return { incidents: [incident], problems };
}

export const busyboxTop: SectionParser = {
  id: 'busybox-top',
  description: 'busybox top screen (Mem:/CPU:/Load average: and the process table)',
  detect,
  parse,
};
