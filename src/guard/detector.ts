import { SampleRing, stallRatio, type WindowRates } from './rates.js';
import type { GuardSample } from './sample.js';
import type { CgroupPressureView } from './view.js';

import type { DetectorConfig, StormDecision, StormReason } from './detector-config.js';
import { DEFAULT_DETECTOR } from './detector-config.js';

export { DEFAULT_DETECTOR, type DetectorConfig, type StormDecision, type StormReason } from './detector-config.js';

type Phase = CgroupPressureView['state'];

interface CgroupState {
  phase: Phase;
  stallSinceMs: number | null;
  severeSinceMs: number | null;
  calmSinceMs: number | null;
  decidedAtMs: number | null;
  cooldownUntilMs: number;
  /** tMs of the last step that had this cgroup (states of vanished cgroups are dropped). */
  seenMs: number;
}

const isAncestor = (a: string, b: string) => a !== b && (a === '/' || b.startsWith(`${a}/`));

/**
 * The thrash detector: fed one sample per tick, deterministic (time comes only from the samples),
 * so a recorded series replays exactly. Attribution: a storm is decided for the cgroup where the
 * limit is, not for every level that sees it: a cgroup defers to a limited ancestor that is
 * itself under pressure, and the whole machine ("/") decides only when no watched cgroup is under
 * pressure (host-wide PSI includes every cgroup's stalls).
 */
export class Detector {
  readonly ring: SampleRing;
  private readonly states = new Map<string, CgroupState>();
  /** The last step's sample and the start of its 1-s window: the view is built from them only when asked. */
  private last: { sample: GuardSample; from: number } | null = null;
  private lastView: CgroupPressureView[] | null = [];

  constructor(readonly config: DetectorConfig = DEFAULT_DETECTOR, maxSamples = 6000) {
    this.ring = new SampleRing(config.historyMs, maxSamples);
  }

  /**
   * Every cgroup of the last step with its rates and state. Built on demand (observers: metrics,
   * status): its 10-s rates are not needed to decide, and the guard's tick skips them when nothing observes it.
   */
  view(): CgroupPressureView[] {
    const last = this.last;
    if (!this.lastView) this.lastView = last ? last.sample.cgroups.map((c, k) => this.viewOf(c.cgroup, this.ring.ratesSince(last.from, c.cgroup, k))) : [];
    return this.lastView;
  }

  /** The state of one cgroup after the last step ('quiet' for one never seen). */
  stateOf(cgroup: string): CgroupPressureView['state'] {
    return this.states.get(cgroup)?.phase ?? 'quiet';
  }

  step(sample: GuardSample): StormDecision[] {
    const cfg = this.config;
    this.ring.push(sample);
    const t = sample.tMs;
    // The 1-s window starts at the same sample for every cgroup: looked up once. Only the stall
    // ratios are needed on every tick; the other rates only when deciding or when observed.
    const from = this.ring.indexBefore(cfg.windowMs);
    const evicted = this.ring.evictedPagesPerSecSince(from);
    this.last = { sample, from };
    this.lastView = null;

    const candidates: StormDecision[] = [];
    for (let k = 0; k < sample.cgroups.length; k++) {
      const c = sample.cgroups[k];
      let st = this.states.get(c.cgroup);
      if (!st) this.states.set(c.cgroup, (st = { phase: 'quiet', stallSinceMs: null, severeSinceMs: null, calmSinceMs: null, decidedAtMs: null, cooldownUntilMs: -Infinity, seenMs: t }));
      st.seenMs = t;
      const old = this.ring.at(from, c.cgroup, k);
      const some = old ? stallRatio(old.c.memSomeUs, c.memSomeUs, t - old.tMs) : null;
      const full = old ? stallRatio(old.c.memFullUs, c.memFullUs, t - old.tMs) : null;
      const stalled = some != null && some >= cfg.someRatio;
      const severe = (some != null && some >= cfg.severeSomeRatio) || (full != null && full >= cfg.severeFullRatio);
      st.stallSinceMs = stalled ? (st.stallSinceMs ?? t) : null;
      st.severeSinceMs = severe ? (st.severeSinceMs ?? t) : null;
      st.calmSinceMs = stalled ? null : (st.calmSinceMs ?? t);

      if (st.phase === 'storm') {
        if (st.calmSinceMs != null && t - st.calmSinceMs >= cfg.clearMs) {
          st.phase = 'cooldown';
          st.cooldownUntilMs = Math.max(st.cooldownUntilMs, t + cfg.cooldownMs);
        } else if (st.decidedAtMs != null && t - st.decidedAtMs >= cfg.repeatMs) {
          const d = this.decide(c.cgroup, k, sample, from, evicted, st, true);
          if (d) candidates.push(d);
        }
        continue;
      }
      if (st.phase === 'cooldown' && t < st.cooldownUntilMs) continue;
      st.phase = stalled || severe ? 'suspect' : 'quiet';
      const d = this.decide(c.cgroup, k, sample, from, evicted, st, false);
      if (d) candidates.push(d);
    }
    // Forget cgroups that are gone (bounded state).
    if (this.states.size > sample.cgroups.length) for (const [cg, st] of this.states) if (st.seenMs !== t) this.states.delete(cg);

    if (candidates.length === 0) return candidates;
    const pressured = (cg: string) => {
      const p = this.states.get(cg)?.phase;
      return p === 'suspect' || p === 'storm' || p === 'cooldown';
    };
    const limited = new Map(sample.cgroups.map((c) => [c.cgroup, c.limitBytes != null]));
    const decisions = candidates.filter((d) => {
      if (d.cgroup === '/') return ![...this.states.keys()].some((cg) => cg !== '/' && pressured(cg));
      return ![...this.states.keys()].some((cg) => cg !== '/' && isAncestor(cg, d.cgroup) && limited.get(cg) && pressured(cg));
    });
    for (const d of decisions) {
      const st = this.states.get(d.cgroup)!;
      st.phase = 'storm';
      st.decidedAtMs = t;
      st.calmSinceMs = null;
      st.cooldownUntilMs = t + cfg.cooldownMs;
    }
    return decisions;
  }

  /** Starts the cooldown now (called after an action: the next decision waits cooldownMs). */
  acted(cgroup: string, tMs: number): void {
    const st = this.states.get(cgroup);
    if (st) st.cooldownUntilMs = tMs + this.config.cooldownMs;
  }

  private decide(cgroup: string, pos: number, s: GuardSample, from: number, evicted: number | null, st: CgroupState, repeat: boolean): StormDecision | null {
    const cfg = this.config;
    const t = s.tMs;
    let reason: StormReason | null = null;
    let since: number | null = null;
    let held: WindowRates | null = null;
    if (st.stallSinceMs != null && t - st.stallSinceMs >= cfg.holdMs) {
      held = this.ring.rates(cgroup, t - st.stallSinceMs);
      if ((held?.majorFaultsPerSec ?? -1) >= cfg.majorFaultsPerSec) reason = 'stall-and-major-faults';
      else if (evicted != null && evicted >= cfg.evictedPagesPerSec) reason = 'stall-and-protected-evictions';
      since = st.stallSinceMs;
    }
    if (!reason && st.severeSinceMs != null && t - st.severeSinceMs >= cfg.severeHoldMs) {
      reason = 'severe-stall';
      since = st.severeSinceMs;
      held = this.ring.rates(cgroup, t - st.severeSinceMs);
    }
    if (!reason || since == null) return null;
    const c = s.cgroups[pos];
    const r = this.ring.ratesSince(from, cgroup, pos);
    return {
      cgroup, tMs: t, wallMs: s.wallMs, reason, sinceMs: since, heldMs: t - since,
      memSomeRatio1s: r?.memSomeRatio ?? null, memFullRatio1s: r?.memFullRatio ?? null,
      memSomeRatioHeld: held?.memSomeRatio ?? null, majorFaultsPerSecHeld: held?.majorFaultsPerSec ?? null,
      refaultsPerSec: r?.refaultsPerSec ?? null, protectedEvictedPagesPerSec: evicted,
      usageBytes: c.usageBytes, limitBytes: c.limitBytes, memAvailableKb: s.memAvailableKb, repeat, config: cfg,
    };
  }

  private viewOf(cgroup: string, r: WindowRates | null): CgroupPressureView {
    const r10 = this.ring.rates(cgroup, 10000);
    return {
      cgroup,
      memSomeRatio1s: r?.memSomeRatio ?? null, memFullRatio1s: r?.memFullRatio ?? null,
      memSomeRatio10s: r10?.memSomeRatio ?? null, memFullRatio10s: r10?.memFullRatio ?? null,
      majorFaultsPerSec: r?.majorFaultsPerSec ?? null, refaultsPerSec: r?.refaultsPerSec ?? null,
      state: this.states.get(cgroup)?.phase ?? 'quiet',
    };
  }
}

/** Pure replay: every decision the detector takes over a recorded series. */
export function replay(samples: GuardSample[], config: DetectorConfig = DEFAULT_DETECTOR): StormDecision[] {
  const d = new Detector(config, Math.max(6000, samples.length));
  return samples.flatMap((s) => d.step(s));
}
