import type { Line, Problem } from '../../model/common.js';
import type { VmstatSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, problem } from './util/lines.js';

// /proc/vmstat: "name value" per line. memory.stat (cgroup v1 and v2) has the same shape, so a run
// is claimed only with a key /proc/vmstat alone prints, and never with a memory.stat-only key.
const ROW = /^([a-z][a-z0-9_]*) (\d+)\s*$/;
const VMSTAT_ONLY = new Set(['nr_free_pages', 'nr_dirty_threshold', 'pgscan_kswapd', 'pgsteal_kswapd',
  'allocstall', 'allocstall_normal', 'compact_stall', 'pswpin', 'kswapd_low_wmark_hit_quickly']);
const MEMCG_ONLY = new Set(['cache', 'rss', 'hierarchical_memory_limit', 'total_rss', 'anon', 'file', 'kernel',
  'oom_kill_disable', 'under_oom']);

function detect(lines: readonly Line[], i: number): number {
  // Only from the start of a run, so a long non-vmstat run is scanned once, not once per line.
  if (!/^[a-z]/.test(lines[i].text) || (i > 0 && ROW.test(lines[i - 1].text))) return 0;
  let j = i;
  let vmstat = false;
  while (j < lines.length) {
    const m = ROW.exec(lines[j].text);
    if (!m) break;
    if (MEMCG_ONLY.has(m[1])) return 0;
    if (VMSTAT_ONLY.has(m[1])) vmstat = true;
    j++;
  }
  return vmstat && j - i >= 3 ? j - i : 0;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const counters: Record<string, number> = {};
  for (const l of lines) {
    const m = ROW.exec(l.text);
    if (m) counters[m[1]] = Number(m[2]);
    else problems.push(problem(l, `/proc/vmstat line not understood: ${l.text.trim()}`));
  }
  const incident: VmstatSnapshotIncident = {
    kind: 'vmstat_snapshot', ...frame(lines, 0, lines.length - 1, 'proc-vmstat'), counters,
  };
  return { incidents: [incident], problems };
}

export const procVmstat: SectionParser = {
  id: 'proc-vmstat',
  description: '/proc/vmstat (all counters, as printed)',
  detect,
  parse,
};
