import type { Line, Problem } from '../../model/common.js';
import type { ZoneinfoSnapshotIncident, ZoneinfoZone } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, problem } from './util/lines.js';

// /proc/zoneinfo, any kernel since 2.6: "Node 0, zone Normal", then indented "name value" lines.
// Since 4.8 the first zone of each node carries a "per-node stats" block; "pagesets" holds per-cpu
// "count:/high:/batch:" lines (with colons, unlike the watermark "high 98"): only the counts are kept,
// summed (free pages on per-CPU lists, which MemFree does not include).
const HEAD = /^Node (\d+), zone\s+(\S+)\s*$/;
const KV = /^\s+([A-Za-z_][\w ]*?)(:)?\s+(-?\d+)\s*$/;
const PROTECTION = /^\s+protection:\s*\(([\d,\s]*)\)\s*$/;
const WATERMARKS: Record<string, keyof ZoneinfoZone> = {
  'pages free': 'freePages', min: 'minPages', low: 'lowPages', high: 'highPages', boost: 'boostPages',
  promo: 'promoPages', spanned: 'spannedPages', present: 'presentPages', managed: 'managedPages', cma: 'cmaPages',
};
const PAGESET_KEYS = new Set(['cpu', 'count', 'high', 'batch', 'high_min', 'high_max', 'vm stats threshold']);

function detect(lines: readonly Line[], i: number): number {
  if (!HEAD.test(lines[i].text) || !/^\s+\S/.test(lines[i + 1]?.text ?? '')) return 0;
  let j = i + 1;
  while (j < lines.length && (/^\s+\S/.test(lines[j].text) || HEAD.test(lines[j].text))) j++;
  return j - i;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const incident: ZoneinfoSnapshotIncident = {
    kind: 'zoneinfo_snapshot', ...frame(lines, 0, lines.length - 1, 'zoneinfo'), nodes: [], zones: [], pcpCountPages: null,
  };
  let zone: ZoneinfoZone | null = null;
  let nodeCounters: Record<string, number> | null = null;
  for (const l of lines) {
    const t = l.text;
    let m: RegExpExecArray | null;
    if ((m = HEAD.exec(t))) {
      zone = {
        node: Number(m[1]), zone: m[2], freePages: null, minPages: null, lowPages: null, highPages: null,
        boostPages: null, promoPages: null, spannedPages: null, presentPages: null, managedPages: null,
        cmaPages: null, protectionPages: null, counters: {}, line: l.line,
      };
      incident.zones.push(zone);
      nodeCounters = null;
    } else if (zone === null) {
      problems.push(problem(l, `zoneinfo line before any "Node N, zone X" line: ${t.trim()}`));
    } else if (/^\s+per-node stats\s*$/.test(t)) {
      nodeCounters = {};
      incident.nodes.push({ node: zone.node, counters: nodeCounters, line: l.line });
    } else if (/^\s+pagesets\s*$/.test(t)) {
      nodeCounters = null;
    } else if ((m = PROTECTION.exec(t))) {
      zone.protectionPages = m[1].split(',').map((s) => Number(s.trim())).filter((n) => !Number.isNaN(n));
    } else if ((m = KV.exec(t))) {
      const key = m[1].trim();
      if (key === 'pages free') nodeCounters = null;
      const field = m[2] ? undefined : WATERMARKS[key];
      if (nodeCounters) nodeCounters[key] = Number(m[3]);
      else if (field) (zone as unknown as Record<string, number>)[field] = Number(m[3]);
      else if (m[2] && key === 'count') incident.pcpCountPages = (incident.pcpCountPages ?? 0) + Number(m[3]);
      else if (!(m[2] && PAGESET_KEYS.has(key))) zone.counters[key] = Number(m[3]);
    } else {
      problems.push(problem(l, `zoneinfo line not understood: ${t.trim()}`));
    }
  }
  return { incidents: [incident], problems };
}

export const zoneinfo: SectionParser = {
  id: 'zoneinfo',
  description: '/proc/zoneinfo (watermarks and counters per zone, in pages)',
  detect,
  parse,
};
