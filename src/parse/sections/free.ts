import type { Line, Problem } from '../../model/common.js';
import type { FreeRow, FreeSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, problem, promptCommand, runsTool, words } from './util/lines.js';

// free (procps, procps-ng, busybox). procps-ng ≥ 3.3.10: "total used free shared buff/cache
// available"; free -w splits "buffers cache"; old procps and busybox print "buffers cached" and a
// "-/+ buffers/cache:" row with used and free only. Rows: Mem:, Swap:, and Low:/High: (-l), Total: (-t).
const TOOL = /^(\S*\/)?free(\s|$)/;
const KNOWN = new Set(['total', 'used', 'free', 'shared', 'buff/cache', 'buffers', 'cache', 'cached', 'available']);
const ROW = /^(Mem|Swap|Total|Low|High|-\/\+ buffers\/cache):\s+(.*)$/;
const KIB = 1024;
// KiB per printed unit. procps-ng: -k/--kibi (the default) 1024, --kilo 1000, --si switches -k/-m/-g to powers of 1000.
const UNITS: Record<string, [string, number]> = {
  '-b': ['B', 1 / KIB], '--bytes': ['B', 1 / KIB], '-k': ['KiB', 1], '--kibi': ['KiB', 1], '-m': ['MiB', KIB], '--mebi': ['MiB', KIB],
  '-g': ['GiB', KIB ** 2], '--gibi': ['GiB', KIB ** 2], '--tebi': ['TiB', KIB ** 3], '--kilo': ['kB', 1000 / KIB],
  '--mega': ['MB', 1e6 / KIB], '--giga': ['GB', 1e9 / KIB], '--tera': ['TB', 1e12 / KIB],
};

function isHeader(text: string): boolean {
  const w = words(text);
  return w.length >= 3 && w[0] === 'total' && w.every((c) => KNOWN.has(c));
}

function detect(lines: readonly Line[], i: number): number {
  const t = lines[i].text;
  let j = i;
  if (t.includes('free') && !isHeader(t) && runsTool(t, TOOL)) j++;
  if (j >= lines.length || !lines[j].text.includes('total') || !isHeader(lines[j].text)) return 0;
  j++;
  const rows = j;
  while (j < lines.length && ROW.test(lines[j].text)) j++;
  return j > rows && lines[rows].text.startsWith('Mem:') ? j - i : 0;
}

/** Unit from the command's options; the last unit option wins, as in free's own parsing. */
function unitOf(command: string | null): { unit: string; kbPer: number; assumed: boolean; human: boolean } {
  if (command === null) return { unit: 'KiB', kbPer: 1, assumed: true, human: false };
  const opts = words(command).slice(1).flatMap((o) => (/^-[a-z]{2,}$/.test(o) ? [...o.slice(1)].map((c) => `-${c}`) : [o]));
  let [unit, kbPer] = ['KiB', 1];
  for (const o of opts) if (UNITS[o]) [unit, kbPer] = UNITS[o];
  const si = opts.includes('--si');
  if (si && kbPer >= 1) kbPer = kbPer === 1 ? 1000 / KIB : kbPer === KIB ? 1e6 / KIB : kbPer === KIB ** 2 ? 1e9 / KIB : kbPer;
  const human = opts.includes('-h') || opts.includes('--human');
  return { unit: human ? 'human' : si ? unit.replace('i', '') : unit, kbPer, assumed: false, human };
}

/** free -h: "23Gi", "1.2G", "512Mi", "0B" (binary; with --si decimal). */
function humanKb(token: string, si: boolean): number | null {
  const m = /^(\d+(?:[.,]\d+)?)([BKMGTP])(i?)$/.exec(token);
  if (!m) return null;
  const base = si && m[3] === '' ? 1000 : KIB;
  const exp = 'BKMGTP'.indexOf(m[2]);
  return (Number(m[1].replace(',', '.')) * base ** exp) / KIB;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  let k = 0;
  let command: string | null = null;
  if (lines.length > 0 && !isHeader(lines[0].text) && runsTool(lines[0].text, TOOL)) {
    command = promptCommand(lines[0].text) ?? lines[0].text.trim();
    k = 1;
  }
  const u = unitOf(command);
  const si = command !== null && /--si\b/.test(command);
  const columns = k < lines.length && isHeader(lines[k].text) ? words(lines[k].text) : [];
  if (columns.length === 0) {
    for (const l of lines) problems.push(problem(l, `free output without its "total used free…" header: ${l.text.trim()}`));
    return { incidents: [], problems };
  }
  const rows: FreeRow[] = [];
  for (const l of lines.slice(k + 1)) {
    const m = ROW.exec(l.text);
    const toks = m ? words(m[2]) : [];
    const values = toks.map((t) => (u.human ? humanKb(t, si) : /^\d+$/.test(t) ? Number(t) * u.kbPer : null));
    if (!m || values.length === 0 || values.some((v) => v === null)) {
      problems.push(problem(l, `free row not understood: ${l.text.trim()}`));
      continue;
    }
    // "-/+ buffers/cache:" prints used and free only, under those columns.
    const cols = m[1].startsWith('-/+') ? ['used', 'free'] : columns;
    if (values.length > cols.length) problems.push(problem(l, `${m[1]} has ${values.length} values for ${cols.length} columns; the extra ones are left out`));
    rows.push({ label: m[1], valuesKb: Object.fromEntries(cols.map((c, n) => [c, values[n] ?? null])), line: l.line });
  }
  const get = (label: string, col: string): number | null => rows.find((r) => r.label === label)?.valuesKb[col] ?? null;
  const incident: FreeSnapshotIncident = {
    kind: 'free_snapshot', ...frame(lines, 0, lines.length - 1, 'free'), command,
    unit: u.unit, unitAssumed: u.assumed, rounded: u.human || (u.unit !== 'B' && u.kbPer !== 1),
    memTotalKb: get('Mem', 'total'), memUsedKb: get('Mem', 'used'), memFreeKb: get('Mem', 'free'), memSharedKb: get('Mem', 'shared'),
    memBuffersKb: get('Mem', 'buffers'), memCacheKb: get('Mem', 'cache') ?? get('Mem', 'cached'), memBuffCacheKb: get('Mem', 'buff/cache'),
    memAvailableKb: get('Mem', 'available'),
    swapTotalKb: get('Swap', 'total'), swapUsedKb: get('Swap', 'used'), swapFreeKb: get('Swap', 'free'),
    columns, rows,
  };
  return { incidents: [incident], problems };
}

export const free: SectionParser = {
  id: 'free',
  description: 'free output (procps, procps-ng, busybox; -b/-k/-m/-g/-h), converted to KiB',
  detect,
  parse,
};
