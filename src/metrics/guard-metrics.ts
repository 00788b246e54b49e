import type { CgroupPressureView, GuardView } from '../guard/view.js';
import { OVERFLOW_LABEL, type Metrics } from './registry.js';

const STATES: CgroupPressureView['state'][] = ['quiet', 'suspect', 'storm', 'cooldown'];
const MODES: GuardView['mode'][] = ['dry-run', 'warn', 'kill'];
const MAX_ACTION_KINDS = 16;

/**
 * Turns the guard's per-tick GuardView into metric values. The view carries totals since the guard
 * started; Prometheus counters only go up, so they are advanced by the difference (a smaller total
 * means the guard restarted: the new total is added, as a counter reset would be seen anyway).
 */
export class GuardMetrics {
  private exported = new Set<string>();
  private detections = 0;
  private actions = new Map<string, number>();

  constructor(private readonly m: Metrics, private readonly maxCgroups: number) {}

  observe(view: GuardView): void {
    this.cgroups(view.cgroups);
    for (const mode of MODES) this.m.gauge('memtriage_guard_mode').set({ mode }, mode === view.mode ? 1 : 0);
    this.m.gauge('memtriage_guard_last_tick_timestamp_seconds').set(view.atMs / 1000);
    this.detections = advance(this.m.counter('memtriage_guard_detections_total'), {}, this.detections, view.detectionsTotal);
    for (const [kind, total] of Object.entries(view.actionsTotal)) {
      const action = this.actions.has(kind) || this.actions.size < MAX_ACTION_KINDS ? kind : OVERFLOW_LABEL;
      const key = action === OVERFLOW_LABEL ? `${OVERFLOW_LABEL}:${kind}` : kind;
      const before = this.actions.get(key) ?? 0;
      this.actions.set(key, advance(this.m.counter('memtriage_guard_actions_total'), { action }, before, total));
    }
    setOrRemove(this.m.gauge('memtriage_guard_locked_bytes'), {}, view.lockedBytes);
  }

  private cgroups(all: CgroupPressureView[]): void {
    // The cap keeps the most pressured cgroups (the machine itself first): those are the ones an
    // alert is about. The rest are counted, never silently dropped.
    const ranked = [...all].sort((a, b) => rank(b) - rank(a));
    const kept = ranked.slice(0, this.maxCgroups);
    this.m.gauge('memtriage_cgroups_not_exported').set(all.length - kept.length);
    const now = new Set(kept.map((c) => c.cgroup));
    for (const gone of this.exported) if (!now.has(gone)) this.remove(gone);
    this.exported = now;
    for (const c of kept) {
      const cgroup = c.cgroup;
      const p = this.m.gauge('memtriage_cgroup_memory_pressure_ratio');
      setOrRemove(p, { cgroup, kind: 'some', window: '1s' }, c.memSomeRatio1s);
      setOrRemove(p, { cgroup, kind: 'full', window: '1s' }, c.memFullRatio1s);
      setOrRemove(p, { cgroup, kind: 'some', window: '10s' }, c.memSomeRatio10s);
      setOrRemove(p, { cgroup, kind: 'full', window: '10s' }, c.memFullRatio10s);
      setOrRemove(this.m.gauge('memtriage_cgroup_major_page_faults_per_second'), { cgroup }, c.majorFaultsPerSec);
      setOrRemove(this.m.gauge('memtriage_cgroup_refaults_per_second'), { cgroup }, c.refaultsPerSec);
      for (const state of STATES) this.m.gauge('memtriage_cgroup_guard_state').set({ cgroup, state }, state === c.state ? 1 : 0);
    }
  }

  private remove(cgroup: string): void {
    for (const kind of ['some', 'full']) for (const window of ['1s', '10s']) this.m.gauge('memtriage_cgroup_memory_pressure_ratio').remove({ cgroup, kind, window });
    this.m.gauge('memtriage_cgroup_major_page_faults_per_second').remove({ cgroup });
    this.m.gauge('memtriage_cgroup_refaults_per_second').remove({ cgroup });
    for (const state of STATES) this.m.gauge('memtriage_cgroup_guard_state').remove({ cgroup, state });
  }
}

function rank(c: CgroupPressureView): number {
  if (c.cgroup === '/') return Infinity;
  return c.memSomeRatio10s ?? c.memSomeRatio1s ?? -1;
}

function setOrRemove(g: { set(l: Record<string, string>, v: number): void; remove(l: Record<string, string>): void }, labels: Record<string, string>, v: number | null): void {
  if (v == null || !Number.isFinite(v)) g.remove(labels);
  else g.set(labels, v);
}

function advance(c: { inc(l: Record<string, string>, v: number): void }, labels: Record<string, string>, before: number, total: number): number {
  const delta = total >= before ? total - before : total;
  if (delta > 0) c.inc(labels, delta);
  return total;
}
