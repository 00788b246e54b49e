import type { IncidentBase } from './kernel-incidents.js';

/**
 * Incidents read from /proc snapshots, tool screens (top, pidstat, iostat…) and crash-utility
 * output. Each section parser in src/parse/sections/ adds its own interface here and to the union.
 */
export interface SnapshotIncidentBase extends IncidentBase {
  /** Which section parser produced it ("meminfo", "slabtop", "busybox-top"…). */
  source: string;
}

// Placeholder member so the union is never empty; section parsers replace/extend this list.
export interface GenericSnapshotIncident extends SnapshotIncidentBase {
  kind: 'generic_snapshot';
}

export type SnapshotIncident = GenericSnapshotIncident;
