import type { Analysis } from '../model/analysis.js';
import type { Incident } from '../model/incident.js';
import { isSnapshotKind } from '../model/kinds.js';

/**
 * The timeline's order and its one time format. Wall clock when every incident has one (sorted by
 * it); else seconds since boot when every incident has that and all come from one input (one
 * boot); else the order of the inputs, each incident showing what it has.
 */
export function timeline(a: Analysis): { order: number[]; stamp: (inc: Incident) => string } {
  const idx = a.incidents.map((_, i) => i);
  const incs = a.incidents;
  if (incs.every((x) => x.time != null)) {
    idx.sort((x, y) => (incs[x].time! < incs[y].time! ? -1 : incs[x].time! > incs[y].time! ? 1 : x - y));
    return { order: idx, stamp: (inc) => inc.time!.replace('T', ' ') };
  }
  const oneInput = incs.every((x) => x.input === incs[0]?.input);
  if (oneInput && incs.every((x) => x.uptimeSec != null)) {
    idx.sort((x, y) => incs[x].uptimeSec! - incs[y].uptimeSec! || x - y);
    return { order: idx, stamp: (inc) => uptimeText(inc.uptimeSec!) };
  }
  return { order: idx, stamp: (inc) => (inc.time ? inc.time.replace('T', ' ') : inc.timeText ?? (inc.uptimeSec != null ? uptimeText(inc.uptimeSec) : '')) };
}

function uptimeText(sec: number): string {
  return `${sec.toFixed(3)} s after boot`;
}

/** "3 incidents, 2 snapshots": events and captured states counted apart. */
export function countText(a: Analysis): { events: number; snapshots: number } {
  let snapshots = 0;
  for (const inc of a.incidents) if (isSnapshotKind(inc.kind)) snapshots++;
  return { events: a.incidents.length - snapshots, snapshots };
}

/** The line shown when a filter left nothing, or left some incidents out unplaced. */
export function filterText(a: Analysis): string | null {
  const f = a.filter;
  if (!f) return null;
  const n = (x: number) => `${x} incident${x === 1 ? '' : 's'}`;
  const unplaced = f.incidentsUnplaced ? ` ${f.incidentsUnplaced} of them ${f.incidentsUnplaced === 1 ? 'has' : 'have'} no timestamp of that kind and could not be placed: check them without the time filter.` : '';
  if (f.incidentsKept === 0) return `${n(f.incidentsBefore)} in the input, none ${f.description}.${unplaced}`;
  if (f.incidentsKept < f.incidentsBefore) return `Showing ${n(f.incidentsKept)} of ${f.incidentsBefore}: those ${f.description}.${unplaced}`;
  return null;
}
