import type { Finding } from '../model/finding.js';
import type { GuardDecisionIncident, GuardSeriesIncident } from '../model/snapshot-incidents.js';
import type { Rule, RuleContext } from './types.js';
import { lineIn } from './util/snapshot-lines.js';
import { kb } from './util/text.js';

const mib = (b: number | null) => (b == null ? '?' : `${(b / 1048576).toFixed(1)} MiB`);
const where = (cg: string) => (cg === '/' ? 'the whole machine' : `cgroup ${cg}`);

/** "0 0 17 36 53 …" — the stall per second around the decision, from the bundle's series. */
function curve(series: GuardSeriesIncident | undefined, cgroup: string): string | null {
  const c = series?.cgroups.find((x) => x.cgroup === cgroup);
  if (!c || c.perSecond.length === 0) return null;
  const pts = c.perSecond.slice(-30);
  return `Memory stall per second over the last ${pts.length} s of samples (%): ${pts.map((p) => (p.memSomePercent == null ? '?' : Math.round(p.memSomePercent))).join(' ')}; major faults/s: ${pts.map((p) => (p.majorFaultsPerSec == null ? '?' : Math.round(p.majorFaultsPerSec))).join(' ')}.`;
}

function explain(d: GuardDecisionIncident, series: GuardSeriesIncident | undefined): string {
  const t = d.thresholds;
  const why = d.reason === 'severe-stall'
    ? `its tasks stalled on memory ${d.memSomePercent1s ?? '?'} % of the last second (full stall ${d.memFullPercent1s ?? '?'} %), at or above the severe thresholds (some ${t.severeSomePercent ?? '?'} % or full ${t.severeFullPercent ?? '?'} %) without fault evidence`
    : `its tasks stalled on memory ${d.memSomePercentHeld ?? '?'} % of the time for ${d.heldMs == null ? '?' : (d.heldMs / 1000).toFixed(1)} s (threshold ${t.somePercent ?? '?'} % held ${t.holdMs ?? '?'} ms), ` +
      (d.reason === 'stall-and-major-faults'
        ? `with ${d.majorFaultsPerSecHeld == null ? '?' : Math.round(d.majorFaultsPerSecHeld)} major faults/s (threshold ${t.majorFaultsPerSec ?? '?'}): pages of mapped files — program code and data — read back from disk as fast as they are evicted`
        : `while the protected daemons' binaries lost ${d.protectedEvictedPagesPerSec ?? '?'} pages/s from the page cache`);
  const parts = [
    `memtriage guard decided that ${where(d.cgroup)} was in a thrash storm: ${why}.`,
    d.limitBytes != null ? `It used ${mib(d.usageBytes)} of its ${mib(d.limitBytes)} limit.` : '',
    d.refaultsPerSec != null ? `Refaults: ${Math.round(d.refaultsPerSec)}/s.` : '',
    d.memAvailableKb != null ? `MemAvailable was ${kb(d.memAvailableKb)} at the time: a guard that watches available memory (earlyoom, nohang) sees nothing wrong, and the kernel's OOM killer does not act while reclaim still frees file pages.` : '',
    curve(series, d.cgroup) ?? '',
    d.mode === 'dry-run' ? 'The guard ran in dry-run: it only kept this evidence.'
      : d.victim ? `Action planned (${d.mode}): ${d.plannedAction} ${d.victim.comm} (pid ${d.victim.pid}), because ${d.victim.why}.`
        : `Action planned (${d.mode}): ${d.plannedAction ?? '?'}.`,
  ];
  return parts.filter(Boolean).join(' ');
}

export const guardStorm: Rule = {
  meta: { id: 'guard-storm', role: 'mechanism', precedence: 5, severity: 'critical', description: 'A thrash storm the memtriage guard decided on, with the numbers and the stall curve from its bundle.' },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const seriesIdx = ctx.incidents.findIndex((i) => i.kind === 'guard_series');
    const series = seriesIdx >= 0 ? (ctx.incidents[seriesIdx] as GuardSeriesIncident) : undefined;
    ctx.incidents.forEach((inc, index) => {
      if (inc.kind !== 'guard_decision') return;
      const evidence = ['"reason"', '"memSomeRatio1s"', '"majorFaultsPerSecHeld"', '"plannedAction"'].map((n) => lineIn(ctx, inc, n)).filter((e) => e != null);
      out.push({
        rule: 'guard-storm', severity: 'critical',
        title: `Thrash storm in ${where(inc.cgroup)}: memory stall ${inc.memSomePercent1s ?? '?'} % of a second, ${inc.majorFaultsPerSecHeld == null ? '?' : Math.round(inc.majorFaultsPerSecHeld)} major faults/s (memtriage guard, ${inc.mode ?? '?'})`,
        explanation: explain(inc, series),
        incidents: seriesIdx >= 0 ? [index, seriesIdx] : [index],
        evidence,
        data: { cgroup: inc.cgroup, reason: inc.reason, memSomePercent1s: inc.memSomePercent1s, majorFaultsPerSecHeld: inc.majorFaultsPerSecHeld, heldMs: inc.heldMs, victim: inc.victim },
        advice: [
          'Replay the bundle\'s series to tune the thresholds: memtriage guard --replay guard/samples.jsonl (after tar xzf).',
          'A limit too small for what runs in the cgroup thrashes instead of OOM-killing: raise it, or let the guard act (--mode kill).',
        ],
      });
    });
    return out;
  },
};
