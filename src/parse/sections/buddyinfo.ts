import type { Line, Problem } from '../../model/common.js';
import type { BuddySnapshotIncident, BuddyZone } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { buddyZone } from './util/buddy.js';
import { frame, problem } from './util/lines.js';

// /proc/buddyinfo: "Node 0, zone   Normal   2370   2658 …", one column per order (11 with
// MAX_ORDER 11, more on some arm64/ppc64 configs). The kernel log's "Node 0 Normal: 12*4kB …"
// has no comma after the node number, so it never matches.
const ROW = /^Node (\d+), zone\s+(\S+)((?:\s+\d+)+)\s*$/;
const ROWISH = /^Node \d+, zone\s+\S+\s+\d/;

function detect(lines: readonly Line[], i: number): number {
  let j = i;
  while (j < lines.length && ROWISH.test(lines[j].text)) j++;
  return j - i;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const zones: BuddyZone[] = [];
  for (const l of lines) {
    const m = ROW.exec(l.text);
    if (!m) {
      problems.push(problem(l, `/proc/buddyinfo row not understood: ${l.text.trim()}`));
      continue;
    }
    zones.push(buddyZone(Number(m[1]), m[2], m[3].trim().split(/\s+/).map(Number), l.line));
  }
  const incident: BuddySnapshotIncident = {
    kind: 'buddy_snapshot', ...frame(lines, 0, lines.length - 1, 'buddyinfo'),
    zones, pageBlockOrder: null, pagesPerBlock: null,
  };
  return { incidents: [incident], problems };
}

export const buddyinfo: SectionParser = {
  id: 'buddyinfo',
  description: '/proc/buddyinfo (free blocks per order, per zone)',
  detect,
  parse,
};
