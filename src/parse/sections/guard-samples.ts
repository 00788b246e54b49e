import type { Line, Problem } from '../../model/common.js';
import type { GuardSeriesIncident } from '../../model/snapshot-incidents.js';
import { windowRates } from '../../guard/rates.js';
import type { CgroupCounters, GuardSample } from '../../guard/sample.js';
import type { SectionParser } from '../types.js';
import { frame, problem } from './util/lines.js';

// guard/samples.jsonl of a guard bundle, or a `memtriage guard --record` file: one JSON sample a
// line, raw counters (src/guard/sample.ts). Summarised into per-second rates, as the detector saw them.
const START = '{"tMs":';

function detect(lines: readonly Line[], i: number): number {
  let j = i;
  while (j < lines.length && lines[j].text.startsWith(START)) j++;
  return j - i;
}

const round = (x: number | null, k = 10) => (x == null ? null : Math.round(x * k) / k);

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const samples: GuardSample[] = [];
  for (const l of lines) {
    try {
      const s = JSON.parse(l.text) as GuardSample;
      if (typeof s.tMs === 'number' && Array.isArray(s.cgroups)) samples.push(s);
      else problems.push(problem(l, 'guard sample without tMs or cgroups'));
    } catch {
      problems.push(problem(l, 'guard sample line is not JSON (cut off?)'));
    }
  }
  if (samples.length === 0) return { incidents: [], problems };
  const names = [...new Set(samples.flatMap((s) => s.cgroups.map((c) => c.cgroup)))];
  const t0 = samples[0].tMs;
  const cgroups: GuardSeriesIncident['cgroups'] = names.map((cg) => {
    const perSecond: GuardSeriesIncident['cgroups'][number]['perSecond'] = [];
    let prev: { t: number; c: CgroupCounters } | null = null;
    for (const s of samples) {
      const c = s.cgroups.find((x) => x.cgroup === cg);
      if (!c) continue;
      if (!prev) { prev = { t: s.tMs, c }; continue; }
      if (s.tMs - prev.t < 1000) continue;
      const r = windowRates(prev.c, c, s.tMs - prev.t);
      perSecond.push({ atS: round((s.tMs - t0) / 1000)!, memSomePercent: round(r.memSomeRatio == null ? null : r.memSomeRatio * 100), majorFaultsPerSec: round(r.majorFaultsPerSec), refaultsPerSec: round(r.refaultsPerSec, 1) });
      prev = { t: s.tMs, c };
    }
    const peak = (k: 'memSomePercent' | 'majorFaultsPerSec') => {
      const v = perSecond.map((p) => p[k]).filter((x): x is number => x != null);
      return v.length ? Math.max(...v) : null;
    };
    return { cgroup: cg, perSecond, peakMemSomePercent: peak('memSomePercent'), peakMajorFaultsPerSec: peak('majorFaultsPerSec') };
  });
  const incident: GuardSeriesIncident = {
    kind: 'guard_series', ...frame(lines, 0, lines.length - 1, 'guard-samples'), samples: samples.length, spanMs: Math.round(samples.at(-1)!.tMs - t0), cgroups,
  };
  incident.time = new Date(samples[0].wallMs).toISOString();
  return { incidents: [incident], problems };
}

export const guardSamples: SectionParser = {
  id: 'guard-samples',
  description: 'memtriage guard sample series: guard/samples.jsonl of a bundle or a --record file (per-second stall and faults)',
  detect,
  parse,
};
