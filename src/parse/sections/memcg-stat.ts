import type { Line, Problem } from '../../model/common.js';
import type { MemcgStatSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { detectKeyValueRun } from './util/key-value.js';
import { frame, problem, promptCommand, runsTool } from './util/lines.js';

// A memory cgroup's memory.stat: "key value" per line, like /proc/vmstat (proc-vmstat.ts). The keys
// decide, so the two parsers never both claim a run: memory.stat has keys /proc/vmstat never prints
// (v1: cache, rss, mapped_file, hierarchical_memory_limit, total_*; v2: anon, file, kernel_stack,
// sock, file_mapped…) and none of its nr_* counters. Amounts are bytes; pg*, workingset_*, thp_*
// are event counts. This parser comes before proc-vmstat in the registry.
const ROW = /^([a-z][a-z0-9_]*) (\d+)\s*$/;
const V1 = new Set(['cache', 'rss', 'rss_huge', 'mapped_file', 'hierarchical_memory_limit', 'hierarchical_memsw_limit', 'total_cache', 'total_rss']);
const V2 = new Set(['anon', 'file', 'kernel', 'kernel_stack', 'sock', 'file_mapped', 'file_dirty', 'anon_thp', 'slab_unreclaimable']);
const COMMAND = /^(cat|head|tail)\s.*memory\.stat\s*$/;

function extent(lines: readonly Line[], i: number): number {
  let j = i;
  let memcg = 0;
  while (j < lines.length) {
    const m = ROW.exec(lines[j].text);
    if (!m) break;
    if (m[1].startsWith('nr_')) return 0; // /proc/vmstat or a zoneinfo block
    if (V1.has(m[1]) || V2.has(m[1])) memcg++;
    j++;
  }
  return memcg >= 2 && j - i >= 3 ? j - i : 0;
}

function detect(lines: readonly Line[], i: number): number {
  return detectKeyValueRun(lines, i, ROW, (t) => t.includes('memory.stat') && runsTool(t, COMMAND), extent);
}

/** Exact for every value /proc prints: "unlimited" 9223372036854771712 (2^63 − 4096) is a double exactly. */
function exactNumber(text: string): number | null {
  const n = Number(text);
  return BigInt(text) === BigInt(n) ? n : null;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const counters: Record<string, number> = {};
  let command: string | null = null;
  let v1 = 0;
  let v2 = 0;
  for (const l of lines) {
    const m = ROW.exec(l.text);
    if (!m) {
      if (command === null && Object.keys(counters).length === 0 && runsTool(l.text, COMMAND)) command = promptCommand(l.text) ?? l.text.trim();
      else problems.push(problem(l, `memory.stat line not understood: ${l.text.trim()}`));
      continue;
    }
    const n = exactNumber(m[2]);
    if (n === null) {
      problems.push(problem(l, `${m[1]} ${m[2]} does not fit a double exactly; it is left out`));
      continue;
    }
    counters[m[1]] = n;
    if (V1.has(m[1])) v1++;
    if (V2.has(m[1])) v2++;
  }
  if (v1 + v2 === 0) return { incidents: [], problems };
  const version = v1 >= v2 ? 1 : 2;
  const c = (...keys: string[]): number | null => keys.map((k) => counters[k]).find((v) => v !== undefined) ?? null;
  const incident: MemcgStatSnapshotIncident = {
    kind: 'memcg_stat_snapshot', ...frame(lines, 0, lines.length - 1, 'memcg-stat'), command, version,
    anonBytes: version === 1 ? c('rss') : c('anon'),
    fileBytes: version === 1 ? c('cache') : c('file'),
    shmemBytes: c('shmem'),
    mappedFileBytes: version === 1 ? c('mapped_file') : c('file_mapped'),
    swapBytes: version === 1 ? c('swap') : null,
    kernelStackBytes: c('kernel_stack'), slabBytes: c('slab'), sockBytes: c('sock'), pageTablesBytes: c('pagetables'),
    limitBytes: c('hierarchical_memory_limit'), memswLimitBytes: c('hierarchical_memsw_limit'),
    pgmajfault: c('pgmajfault'), workingsetRefaultFile: c('workingset_refault_file', 'workingset_refault'),
    counters,
  };
  return { incidents: [incident], problems };
}

export const memcgStat: SectionParser = {
  id: 'memcg-stat',
  description: 'memory cgroup memory.stat (v1 or v2), told from /proc/vmstat by its keys',
  detect,
  parse,
};
