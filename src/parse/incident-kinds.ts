import type { IncidentKind } from '../model/incident.js';
import { SNAPSHOT_INCIDENT_KINDS } from '../model/kinds.js';
import { KERNEL_INCIDENT_KINDS } from './kernel/registry.js';

/**
 * Every incident kind, at run time (for `--kind` checks and help): the kernel report kinds from
 * their registry, then the snapshot kinds. A kernel kind cannot be missing (its module lists it);
 * the check below names any other kind of the model missing here.
 */
export const INCIDENT_KINDS: readonly IncidentKind[] = [...KERNEL_INCIDENT_KINDS, ...SNAPSHOT_INCIDENT_KINDS];

type Missing = Exclude<IncidentKind, (typeof KERNEL_INCIDENT_KINDS)[number] | (typeof SNAPSHOT_INCIDENT_KINDS)[number]>;
const everyKindListed: [Missing] extends [never] ? true : Missing = true;
void everyKindListed;
