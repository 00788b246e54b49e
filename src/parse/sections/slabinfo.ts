import type { Line, Problem } from '../../model/common.js';
import type { SlabCache, SlabSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, int, problem } from './util/lines.js';

// /proc/slabinfo, format 2.x (kernels ≥ 2.6): "name active num objsize objperslab pagesperslab :
// tunables limit batch shared : slabdata active_slabs num_slabs sharedavail". SLUB prints 0 tunables.
const VERSION = /^slabinfo - version: 2\.\d+\s*$/;
const ROW =
  /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+:\s+tunables\s+\d+\s+\d+\s+\d+\s+:\s+slabdata\s+(\d+)\s+(\d+)\s+\d+\s*$/;
const ROWISH = /^\S+\s+\d+\s+\d+/;

function detect(lines: readonly Line[], i: number): number {
  if (!VERSION.test(lines[i].text)) return 0;
  let j = i + 1;
  if (j < lines.length && lines[j].text.startsWith('# name')) j++;
  while (j < lines.length && ROWISH.test(lines[j].text)) j++;
  return j - i;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const caches: SlabCache[] = [];
  for (const l of lines.slice(1)) {
    if (l.text.startsWith('# name')) continue;
    const m = ROW.exec(l.text);
    if (!m) {
      problems.push(problem(l, `/proc/slabinfo row not understood: ${l.text.trim()}`));
      continue;
    }
    const objSizeBytes = int(m[4]);
    const numSlabs = int(m[8]);
    const pagesPerSlab = int(m[6]);
    caches.push({
      name: m[1], activeObjects: int(m[2]), objects: int(m[3]), objSizeBytes,
      objSizeKb: objSizeBytes === null ? null : objSizeBytes / 1024,
      objPerSlab: int(m[5]), pagesPerSlab, slabs: numSlabs, cacheSizeKb: null,
      cacheSizePages: numSlabs !== null && pagesPerSlab !== null ? numSlabs * pagesPerSlab : null,
      usePercent: null, line: l.line,
    });
  }
  const incident: SlabSnapshotIncident = {
    kind: 'slab_snapshot', ...frame(lines, 0, lines.length - 1, 'slabinfo'), summary: null, caches,
  };
  return { incidents: [incident], problems };
}

export const slabinfo: SectionParser = {
  id: 'slabinfo',
  description: '/proc/slabinfo (version 2.x)',
  detect,
  parse,
};
