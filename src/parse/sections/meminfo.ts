import type { Line, Problem } from '../../model/common.js';
import { MEMINFO_FIELDS, type MeminfoSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { camelKey } from '../keys.js';
import { frame, problem, runsTool } from './util/lines.js';

// "Key:   N kB", or a bare count for HugePages_*. Keys hold letters, digits, "_" and "(anon)".
const ROW = /^([A-Za-z][A-Za-z0-9_]*(?:\([a-z_]+\))?):\s+(\d+)(?: (kB))?\s*$/;
// Keys only /proc/meminfo prints; a run of "Key: N" lines must contain one to be claimed.
const KNOWN = new Set(['MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SwapCached', 'Active(anon)',
  'Inactive(anon)', 'AnonPages', 'Slab', 'SUnreclaim', 'KernelStack', 'PageTables', 'Committed_AS', 'CommitLimit']);
const COMMAND = /^cat\s+\/proc\/meminfo\s*$/;


function extent(lines: readonly Line[], i: number): number {
  let j = i;
  let known = 0;
  while (j < lines.length) {
    const m = ROW.exec(lines[j].text);
    if (!m) break;
    if (KNOWN.has(m[1])) known++;
    j++;
  }
  return known > 0 && j - i >= 3 ? j - i : 0;
}

function detect(lines: readonly Line[], i: number): number {
  const t = lines[i].text;
  if (t.includes('cat') && runsTool(t, COMMAND)) {
    const n = extent(lines, i + 1);
    return n > 0 ? n + 1 : 0;
  }
  // Only from the start of a run, so a long run that is not meminfo is scanned once.
  return /^[A-Z]/.test(t) && !(i > 0 && ROW.test(lines[i - 1].text)) ? extent(lines, i) : 0;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  let start = 0;
  let command: string | null = null;
  if (lines.length > 0 && !ROW.test(lines[0].text)) {
    command = lines[0].text.trim();
    start = 1;
  }
  const counters: Record<string, number> = {};
  for (let k = start; k < lines.length; k++) {
    const m = ROW.exec(lines[k].text);
    if (!m) {
      problems.push(problem(lines[k], `not a /proc/meminfo "Key: N kB" line: ${lines[k].text.trim()}`));
      continue;
    }
    const name = camelKey(m[1]) + (m[3] ? 'Kb' : '');
    if (name in counters) problems.push(problem(lines[k], `${m[1]} appears twice; the later value is kept`, 'info'));
    counters[name] = Number(m[2]);
  }
  const named = Object.fromEntries(MEMINFO_FIELDS.map((f) => [f, counters[f] ?? null])) as Record<
    (typeof MEMINFO_FIELDS)[number],
    number | null
  >;
  const incident: MeminfoSnapshotIncident = {
    kind: 'meminfo_snapshot',
    ...frame(lines, 0, lines.length - 1, 'meminfo'),
    ...named,
    command,
    counters,
  };
  return { incidents: [incident], problems };
}

export const meminfo: SectionParser = {
  id: 'meminfo',
  description: '/proc/meminfo (optionally after a "cat /proc/meminfo" line)',
  detect,
  parse,
};
