import type { Finding } from '../model/finding.js';
import type { Incident } from '../model/incident.js';
import type { OomKillIncident } from '../model/kernel-incidents.js';
import { formatKb } from '../model/units.js';
import type { Rule, RuleMeta, RuleRole } from './types.js';

/**
 * The headline, built from the rules' own roles (meta.role): the strongest cause, then the
 * strongest mechanism, so the first line a person reads names a cause, not a symptom. Context
 * (taint, advice) never leads. Among findings of one role: severity first, then the finding about
 * the latest incident, then the rule's precedence. A rule that `subsumes` others (driver-suspect
 * tells the unaccounted remainder in its title) keeps their findings on the same incidents out of
 * the sentence altogether.
 */
const RANK = { critical: 0, warning: 1, info: 2 } as const;

const latestIncident = (f: Finding): number => (f.incidents.length ? Math.max(...f.incidents) : -1);

function pick(findings: readonly Finding[], metas: Map<string, RuleMeta>, role: RuleRole, skip: Set<Finding>): Finding | null {
  const ranked = findings
    .filter((f) => metas.get(f.rule)?.role === role && f.severity !== 'info' && !skip.has(f))
    .sort((a, b) => RANK[a.severity] - RANK[b.severity]
      || latestIncident(b) - latestIncident(a)
      || (metas.get(a.rule)!.precedence ?? 50) - (metas.get(b.rule)!.precedence ?? 50));
  return ranked[0] ?? null;
}

function killSentence(incidents: readonly Incident[]): string | null {
  const kills = incidents.filter((i): i is OomKillIncident => i.kind === 'oom_kill' && i.victim.pid != null);
  if (kills.length === 0) return null;
  const big = [...kills].sort((a, b) => (b.victim.anonRssKb ?? 0) - (a.victim.anonRssKb ?? 0))[0];
  const v = big.victim;
  const what = kills.length === 1 ? 'The OOM killer killed' : `The OOM killer struck ${kills.length} times; the largest victim was`;
  return `${what} ${v.comm} (pid ${v.pid}${v.anonRssKb != null ? `, anon-rss ${formatKb(v.anonRssKb)}` : ''})${big.cgroupOom ? ` in cgroup ${big.memcg ?? '?'}` : ''}.`;
}

const sentence = (t: string): string => (/[.!?]$/.test(t) ? t : `${t}.`);

/** How many findings of the leading rule are about earlier incidents than the one it speaks of. */
function before(findings: readonly Finding[], lead: Finding): string {
  const same = findings.filter((f) => f.rule === lead.rule && f !== lead && f.severity !== 'info' && latestIncident(f) < latestIncident(lead));
  return same.length ? ` (${same.length} earlier such finding${same.length > 1 ? 's' : ''} in this input)` : '';
}

/** The headline: the cause, then how it showed; null when no rule reached a conclusion. */
export function verdictOf(findings: readonly Finding[], incidents: readonly Incident[], rules: readonly Rule[]): string | null {
  const metas = new Map(rules.map((r) => [r.meta.id, r.meta]));
  // A finding a subsuming rule tells in its own title (about a shared incident) never competes for
  // the lead: the bare remainder must not speak instead of the driver named for it, even when it is
  // rated more severe or spans a later incident. An info-level finding hides nothing.
  // Findings by rule, so that this is not a pass over every finding for each one (10,000 OOM
  // reports give 10,000+ findings: 1 s, 50,000 half a minute).
  const byRule = new Map<string, Finding[]>();
  for (const g of findings) {
    const list = byRule.get(g.rule);
    if (list) list.push(g);
    else byRule.set(g.rule, [g]);
  }
  const used = new Set<Finding>();
  for (const f of findings) {
    if (f.severity === 'info') continue;
    for (const id of new Set(metas.get(f.rule)?.subsumes ?? [])) {
      for (const g of byRule.get(id) ?? []) if (g.incidents.some((i) => f.incidents.includes(i))) used.add(g);
    }
  }
  const cause = pick(findings, metas, 'cause', used);
  if (cause) {
    used.add(cause);
    for (const f of byRule.get(cause.rule) ?? []) used.add(f);
  }
  const mechanism = pick(findings, metas, 'mechanism', used);
  const parts = [cause, mechanism].filter((f): f is Finding => f != null).map((f) => sentence(f.title).replace(/\.$/, `${before(findings, f)}.`));
  const kill = killSentence(incidents);
  if (parts.length === 0) return kill;
  return [...(kill && !cause ? [kill] : []), ...parts].join(' ');
}
