import type { Accounting, Holder } from '../../accounting/index.js';
import type { EvidenceLine } from '../../model/common.js';
import type { Finding } from '../../model/finding.js';
import type { HolderShareFinding } from '../../model/findings/index.js';
import type { Incident } from '../../model/incident.js';
import { formatKb } from '../../model/units.js';
import { optionsOf, type Rule, type RuleContext, type RuleOptions } from '../types.js';
import { lineIn, pct } from './snapshot-lines.js';
import { groupStories, type StoryItem } from './story-groups.js';
import { headerEvidence } from './text.js';
import { accountingOf } from './unaccounted.js';

/** What one "this holder filled the machine" rule says; the numbers come from the shared accounting. */
export interface HolderCause {
  id: HolderShareFinding['rule'];
  holder: string;
  /** The holder as a sentence's subject ("Kernel slab"), for a group of OOM kills. */
  subject: string;
  description: string;
  /** The holder's share of total memory from which the rule fires (a warning), and critical. */
  warningShare: number;
  criticalShare: number;
  /** The needle of the meminfo line and of the report line that show the holder. */
  meminfoLine: string;
  reportLine: string;
  title: (h: Holder, a: Accounting, share: string) => string;
  /** Sentences after the size: why this holder is not freed by killing processes, what to do. */
  explain: (h: Holder, a: Accounting, ctx: RuleContext, inc: Incident) => string[];
  extraEvidence?: (ctx: RuleContext, inc: Incident, a: Accounting) => (EvidenceLine | null)[];
  advice: string[];
  /** The part of the holder that counts (slab: its unreclaimable part when the input splits it). */
  measure?: (h: Holder, a: Accounting) => number;
}

/** A rule that fires when one holder of memory (huge-page pool, tmpfs, slab, page tables) dominates. */
export function holderCause(c: HolderCause): Rule {
  const rule: Rule = {
    meta: {
      id: c.id, severity: 'critical', role: 'cause', precedence: 35, description: c.description,
      options: {
        warningShare: { default: c.warningShare, description: `warning when ${c.holder} holds at least this share of total memory` },
        criticalShare: { default: c.criticalShare, description: 'critical from this share' },
        groupReports: { default: 2, description: `OOM kills where ${c.holder} held as much (the same severity) from which they are one finding` },
      },
    },
    check(ctx: RuleContext, options?: RuleOptions): Finding[] {
      const o = optionsOf(rule.meta, options);
      const items: StoryItem<HolderShareFinding>[] = [];
      ctx.incidents.forEach((incident, index) => {
        const a = accountingOf(incident, ctx.incidents);
        const h = a?.holders.find((x) => x.id === c.holder);
        if (!a || !h || a.totalKb == null) return;
        const kb = c.measure ? c.measure(h, a) : h.kb;
        if (kb < a.totalKb * o.warningShare) return;
        const severity = kb >= a.totalKb * o.criticalShare ? 'critical' : 'warning';
        // OOM kills where the holder held as much (the same severity) are one story; the finding
        // is built only when written, its accounting taken again then (a flapping node's 50,000
        // OOM kills would otherwise hold 50,000 findings and accountings at once).
        items.push({ index, inc: incident, key: incident.kind === 'oom_kill' ? severity : null, finding: () => holderFinding(ctx, c, index, incident, accountingOf(incident, ctx.incidents)!, o) });
      });
      return groupStories(ctx, items, o.groupReports, (n, from, to) => `${c.subject} held as much at ${n} OOM kills, from ${from} to ${to}.`);
    },
  };
  return rule;
}

/** The finding for one incident whose holder passed warningShare. */
function holderFinding(ctx: RuleContext, c: HolderCause, index: number, incident: Incident, a: Accounting, o: RuleOptions): HolderShareFinding {
  const h = a.holders.find((x) => x.id === c.holder)!;
  const total = a.totalKb!;
  const kb = c.measure ? c.measure(h, a) : h.kb;
  const share = pct(kb, total);
  const span = { input: incident.input, line: incident.line, endLine: incident.endLine };
  const ev = incident.kind === 'meminfo_snapshot'
    ? [lineIn(ctx, incident, 'MemTotal:', true), lineIn(ctx, incident, c.meminfoLine, true)]
    : [headerEvidence(ctx, incident), lineIn(ctx, span, c.reportLine)];
  return {
    rule: c.id, severity: kb >= total * o.criticalShare ? 'critical' : 'warning',
    title: c.title(h, a, share),
    explanation: [`${h.label[0].toUpperCase()}${h.label.slice(1)} held ${h.kb} kB (${formatKb(h.kb)}), ${pct(h.kb, total)} of ${a.source === 'meminfo' ? 'MemTotal' : 'the memory the kernel manages'} (${a.totalSource}).`, ...c.explain(h, a, ctx, incident)].filter(Boolean).join(' '),
    incidents: [index],
    evidence: [...ev, ...(c.extraEvidence?.(ctx, incident, a) ?? [])].filter((e): e is EvidenceLine => e != null),
    data: { holder: c.holder, kb: h.kb, measuredKb: kb, totalKb: total, percent: Math.round((1000 * kb) / total) / 10, source: a.source, ...(h.split ?? {}) },
    advice: c.advice,
  } as HolderShareFinding;
}
