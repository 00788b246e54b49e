import type { Line, Problem } from '../../model/common.js';
import type { MemcgEventsSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { detectKeyValueRun } from './util/key-value.js';
import { frame, problem, promptCommand, runsTool } from './util/lines.js';

// memory.oom_control (cgroup v1: oom_kill_disable, under_oom, and oom_kill since 4.13) and
// memory.events / memory.events.local (v2: low, high, max, oom, oom_kill, oom_group_kill on newer
// kernels). Only these keys may appear, so a /proc/vmstat run (which also has "oom_kill") never fits.
const ROW = /^([a-z][a-z0-9_]*) (\d+)\s*$/;
const V1 = new Set(['oom_kill_disable', 'under_oom', 'oom_kill']);
const V2 = new Set(['low', 'high', 'max', 'oom', 'oom_kill', 'oom_group_kill', 'sock_throttled']);
const COMMAND = /^(cat|head|tail)\s.*memory\.(oom_control|events(\.local)?)\s*$/;

function fileOf(keys: string[]): MemcgEventsSnapshotIncident['file'] | null {
  if (keys.includes('oom_kill_disable') && keys.every((k) => V1.has(k))) return 'memory.oom_control';
  if (keys.includes('max') && keys.includes('oom') && keys.every((k) => V2.has(k))) return 'memory.events';
  return null;
}

function extent(lines: readonly Line[], i: number): number {
  const keys: string[] = [];
  let j = i;
  // Both files are short: at most 7 lines.
  while (j < lines.length && j - i <= V2.size) {
    const m = ROW.exec(lines[j].text);
    if (!m) break;
    keys.push(m[1]);
    j++;
  }
  if (j < lines.length && ROW.test(lines[j].text)) return 0; // part of a longer key-value run
  return keys.length >= 2 && fileOf(keys) ? j - i : 0;
}

function detect(lines: readonly Line[], i: number): number {
  return detectKeyValueRun(lines, i, ROW, (t) => t.includes('memory.') && runsTool(t, COMMAND), extent);
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const counters: Record<string, number> = {};
  let command: string | null = null;
  for (const l of lines) {
    const m = ROW.exec(l.text);
    if (m) counters[m[1]] = Number(m[2]);
    else if (command === null && Object.keys(counters).length === 0 && runsTool(l.text, COMMAND)) command = promptCommand(l.text) ?? l.text.trim();
    else problems.push(problem(l, `memory.oom_control / memory.events line not understood: ${l.text.trim()}`));
  }
  const file = fileOf(Object.keys(counters));
  if (!file) {
    if (Object.keys(counters).length > 0) problems.push(problem(lines[0], 'key-value lines that are neither memory.oom_control nor memory.events'));
    return { incidents: [], problems };
  }
  const c = (k: string): number | null => counters[k] ?? null;
  const flag = (k: string): boolean | null => (k in counters ? counters[k] !== 0 : null);
  const incident: MemcgEventsSnapshotIncident = {
    kind: 'memcg_events_snapshot', ...frame(lines, 0, lines.length - 1, 'memcg-events'), command, file,
    oomKillDisable: flag('oom_kill_disable'), underOom: flag('under_oom'), oomKill: c('oom_kill'),
    oom: c('oom'), max: c('max'), high: c('high'), low: c('low'), oomGroupKill: c('oom_group_kill'), counters,
  };
  return { incidents: [incident], problems };
}

export const memcgEvents: SectionParser = {
  id: 'memcg-events',
  description: 'memory cgroup memory.oom_control (v1) and memory.events (v2)',
  detect,
  parse,
};
