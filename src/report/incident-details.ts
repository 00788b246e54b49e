import type { Incident } from '../model/incident.js';
import { kindOfIncident } from '../parse/kernel/registry.js';

/** Key facts of one incident, a few indented lines (kernel reports: from their kind module). */
export function details(inc: Incident): string[] {
  const kind = kindOfIncident(inc.kind);
  return kind ? kind.details(inc as Parameters<typeof kind.details>[0]) : [];
}
