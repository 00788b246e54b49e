import type { EvidenceLine } from '../model/common.js';
import type { Finding } from '../model/finding.js';
import type { SwapStateFinding } from '../model/findings/swap-state.js';
import type { Incident } from '../model/incident.js';
import { formatKb } from '../model/units.js';
import { optionsOf, type Rule, type RuleContext, type RuleMeta, type RuleOptions } from './types.js';
import { lineAt, lineIn } from './util/snapshot-lines.js';
import { groupStories, type StoryItem } from './util/story-groups.js';
import { headerEvidence } from './util/text.js';

const meta: RuleMeta<'swap-state'> = {
  id: 'swap-state', severity: 'warning', role: 'mechanism', precedence: 20,
  description: 'Swap at the time of the report: none configured, or full, and how much of it the OOM victim had used.',
  options: {
    fullFreeShare: { default: 0.05, description: 'swap counts as full when at most this share of it is free' },
    groupReports: { default: 2, description: 'OOM kills with the same swap state (none, or full of the same size) from which they are one finding' },
  },
};

interface Swap { index: number; inc: Incident; totalKb: number; freeKb: number; victimSwapKb: number | null; victim: string | null; evidence: () => (EvidenceLine | null)[] }

function swaps(ctx: RuleContext): Swap[] {
  const out: Swap[] = [];
  ctx.incidents.forEach((inc, index) => {
    if (inc.kind === 'meminfo_snapshot') {
      if (inc.swapTotalKb == null || inc.swapFreeKb == null) return;
      out.push({ index, inc, totalKb: inc.swapTotalKb, freeKb: inc.swapFreeKb, victimSwapKb: null, victim: null, evidence: () => [lineIn(ctx, inc, 'SwapTotal:', true), lineIn(ctx, inc, 'SwapFree:', true)] });
    } else if (inc.kind === 'oom_kill' && !inc.cgroupOom && inc.memInfoReport) {
      const r = inc.memInfoReport;
      if (r.totalSwapKb == null || r.freeSwapKb == null) return;
      const ps = r.pageSizeKb ?? inc.pageSizeKb;
      const row = inc.processTable?.all.find((t) => t.pid === inc.victim.pid);
      const span = { input: inc.input, line: inc.line, endLine: inc.endLine };
      out.push({
        index, inc, totalKb: r.totalSwapKb, freeKb: r.freeSwapKb,
        victimSwapKb: row?.swapEntries != null && ps != null ? row.swapEntries * ps : null,
        victim: inc.victim.pid != null ? `${inc.victim.comm} (pid ${inc.victim.pid})` : null,
        evidence: () => [headerEvidence(ctx, inc), lineIn(ctx, span, 'Free swap'), lineIn(ctx, span, 'Total swap'), row ? lineAt(ctx, inc.input, row.line, row.comm) : null],
      });
    }
  });
  return out;
}

/** What a report's swap says: none configured, full, or nothing worth a finding. */
function stateOf(s: Swap, fullFreeShare: number): 'none' | 'full' | null {
  if (s.totalKb === 0) return 'none';
  return s.freeKb <= s.totalKb * fullFreeShare ? 'full' : null;
}

/** The finding for one report whose swap was absent or full. */
function swapFinding(s: Swap, state: 'none' | 'full'): SwapStateFinding {
  const evidence = s.evidence().filter((e): e is EvidenceLine => e != null);
  const victim = s.victim && s.victimSwapKb != null ? ` The victim, ${s.victim}, had ${s.victimSwapKb} kB (${formatKb(s.victimSwapKb)}) in swap (the task table's swapents), freed with it.` : '';
  const data = { totalSwapKb: s.totalKb, freeSwapKb: s.freeKb, victimSwapKb: s.victimSwapKb };
  if (state === 'none') {
    return {
      rule: meta.id, severity: 'info', title: 'No swap: process memory could only stay in RAM',
      explanation: 'Total swap is 0: anonymous memory (heaps, tmpfs) cannot be paged out, so under pressure the kernel can reclaim only page cache, and once that is gone the OOM killer is the only way to free memory. That is a choice many servers make; it also means there is no slow-down phase before an OOM kill.',
      incidents: [s.index], evidence, data,
    };
  }
  return {
    rule: meta.id, severity: 'warning',
    title: `Swap was full: ${formatKb(s.freeKb)} of ${formatKb(s.totalKb)} free`,
    explanation: `Free swap ${s.freeKb} kB of ${s.totalKb} kB (${formatKb(s.totalKb - s.freeKb)} used): anonymous memory had nowhere left to go, so swap only postponed the OOM kill.${victim}`,
    incidents: [s.index], evidence, data,
    advice: ['More swap only buys time when something keeps growing: find what filled it (the task table\'s swapents, or `grep VmSwap /proc/*/status`).'],
  };
}

export const swapState: Rule = {
  meta,
  check(ctx: RuleContext, options?: RuleOptions): Finding[] {
    const o = optionsOf(meta, options);
    const items: StoryItem<SwapStateFinding>[] = [];
    for (const s of swaps(ctx)) {
      // Which finding a report gets is known from its numbers; the finding itself is built only
      // when written (a flapping node's 50,000 OOM kills are one finding each otherwise).
      const state = stateOf(s, o.fullFreeShare);
      if (!state) continue;
      // OOM kills with the same state are one story: no swap, or swap of one size full.
      const key = s.inc.kind === 'oom_kill' ? (state === 'none' ? 'none' : `full ${s.totalKb}`) : null;
      items.push({ index: s.index, inc: s.inc, key, finding: () => swapFinding(s, state) });
    }
    return groupStories(ctx, items, o.groupReports, (n, from, to) =>
      `The same swap state at ${n} OOM kills, from ${from} to ${to}.`);
  },
};
