import type { Incident } from '../model/incident.js';
import type { SnapshotIncident } from '../model/snapshot-incidents.js';
import { kindOfIncident } from '../parse/kernel/registry.js';
import { snapshotLine } from './snapshot-summary.js';

/** One line per incident for the timeline: what happened, to whom, how big. */
export function oneLine(inc: Incident): string {
  // Kernel reports: their kind module says it (src/parse/kernel/<kind>/kind.ts); the rest are snapshots.
  const kind = kindOfIncident(inc.kind);
  return kind ? kind.summary(inc as Parameters<typeof kind.summary>[0]) : snapshotLine(inc as SnapshotIncident);
}

export function when(inc: Incident): string {
  if (inc.time) return inc.time.replace('T', ' ');
  if (inc.timeText) return inc.timeText;
  if (inc.uptimeSec != null) return `+${inc.uptimeSec.toFixed(3)}s`;
  return '';
}
