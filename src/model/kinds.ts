import type { SnapshotIncident } from './snapshot-incidents.js';

/**
 * Every snapshot incident kind (/proc files, tool screens, crash output, the guard's records), at
 * run time. The kernel report kinds come from their registry (src/parse/kernel/registry.ts); both
 * together are INCIDENT_KINDS (src/parse/incident-kinds.ts). The type test below fails to compile
 * when a snapshot kind is added to the model but not here, and names it.
 */
export const SNAPSHOT_INCIDENT_KINDS = [
  'meminfo_snapshot', 'slab_snapshot', 'buddy_snapshot', 'zoneinfo_snapshot', 'vmstat_snapshot', 'psi_snapshot',
  'top_snapshot', 'ps_snapshot', 'pidstat_snapshot', 'mpstat_snapshot', 'iostat_snapshot', 'pagecache_residency',
  'crash_kmem', 'crash_ps', 'crash_bt', 'crash_sched_info', 'crash_struct', 'crash_count', 'fd_listing',
  'funccount_snapshot', 'trace_snapshot', 'free_snapshot', 'vmstat_tool_snapshot', 'memcg_stat_snapshot',
  'memcg_events_snapshot', 'sysctl_snapshot', 'enomem_lines', 'guard_decision', 'guard_series',
] as const satisfies readonly SnapshotIncident['kind'][];

type Missing = Exclude<SnapshotIncident['kind'], (typeof SNAPSHOT_INCIDENT_KINDS)[number]>;
// A compile error here names the kind missing from SNAPSHOT_INCIDENT_KINDS.
const everyKindListed: [Missing] extends [never] ? true : Missing = true;
void everyKindListed;

/** Snapshots and tool output: states captured at a moment, not events that happened. */
export function isSnapshotKind(kind: string): boolean {
  return /_snapshot$|^crash_|^pagecache_residency$|^fd_listing$/.test(kind);
}
