import { Detector, type DetectorConfig, type StormDecision } from './detector.js';
import { chooseVictim, type PolicyConfig, type VictimChoice } from './policy.js';
import type { GuardSample, ProcessCounters } from './sample.js';

export interface ReplayedDecision {
  decision: StormDecision;
  /** The policy over the process snapshots recorded in the series for that cgroup (null when none was). */
  choice: VictimChoice | null;
}

/**
 * Pure: the detector and the victim policy over a recorded series, as the live guard would have
 * run them (the same Detector; the process snapshots recorded in the samples feed the policy).
 */
export function replaySeries(samples: GuardSample[], det: DetectorConfig, pol: PolicyConfig): ReplayedDecision[] {
  const detector = new Detector(det, Math.max(6000, samples.length));
  const procs = new Map<string, { tMs: number; processes: ProcessCounters[] }[]>();
  const out: ReplayedDecision[] = [];
  for (const s of samples) {
    if (s.processes?.length) {
      const byCg = new Map<string, ProcessCounters[]>();
      for (const p of s.processes) {
        // A process belongs to the watched cgroup whose path is the longest prefix of its own.
        const owner = s.cgroups.map((c) => c.cgroup).filter((cg) => cg === '/' || p.cgroup === cg || p.cgroup.startsWith(`${cg}/`))
          .sort((a, b) => b.length - a.length)[0];
        if (owner) byCg.set(owner, [...(byCg.get(owner) ?? []), p]);
      }
      for (const [cg, list] of byCg) procs.set(cg, [...(procs.get(cg) ?? []).filter((h) => s.tMs - h.tMs <= pol.windowMs * 2), { tMs: s.tMs, processes: list }]);
    }
    for (const d of detector.step(s)) {
      const h = procs.get(d.cgroup);
      out.push({ decision: d, choice: h ? chooseVictim(h, s.tMs, pol) : null });
    }
  }
  return out;
}
