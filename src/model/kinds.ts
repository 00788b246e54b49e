import type { IncidentKind } from './incident.js';

/**
 * Every incident kind, at run time (for `--kind` checks and help). The type test below fails to
 * compile when a kind is added to the model but not here, so the list cannot fall behind.
 */
export const INCIDENT_KINDS = [
  'oom_kill', 'page_alloc_failure', 'hung_task', 'soft_lockup', 'rcu_stall', 'warning', 'bug', 'oops', 'panic',
  'sysrq_backtrace', 'sysrq_blocked', 'sysrq_show_mem', 'sysrq_show_state', 'show_mem',
  'meminfo_snapshot', 'slab_snapshot', 'buddy_snapshot', 'zoneinfo_snapshot', 'vmstat_snapshot', 'psi_snapshot',
  'top_snapshot', 'ps_snapshot', 'pidstat_snapshot', 'mpstat_snapshot', 'iostat_snapshot', 'pagecache_residency',
  'crash_kmem', 'crash_ps', 'crash_bt', 'crash_sched_info', 'crash_struct', 'crash_count', 'fd_listing',
  'funccount_snapshot', 'trace_snapshot', 'free_snapshot', 'vmstat_tool_snapshot', 'memcg_stat_snapshot',
  'memcg_events_snapshot', 'sysctl_snapshot', 'enomem_lines', 'guard_decision', 'guard_series',
] as const satisfies readonly IncidentKind[];

type Missing = Exclude<IncidentKind, (typeof INCIDENT_KINDS)[number]>;
// A compile error here names the kind missing from INCIDENT_KINDS.
const everyKindListed: [Missing] extends [never] ? true : Missing = true;
void everyKindListed;

/** Snapshots and tool output: states captured at a moment, not events that happened. */
export function isSnapshotKind(kind: string): boolean {
  return /_snapshot$|^crash_|^pagecache_residency$|^fd_listing$/.test(kind);
}
