import type { KernelIncident } from './kernel-incidents.js';
import type { SnapshotIncident } from './snapshot-incidents.js';

export type Incident = KernelIncident | SnapshotIncident;
export type IncidentKind = Incident['kind'];
export type { KernelIncident, SnapshotIncident };
