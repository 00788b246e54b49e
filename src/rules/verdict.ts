import type { Finding } from '../model/finding.js';
import type { Incident } from '../model/incident.js';
import type { OomKillIncident } from '../model/kernel-incidents.js';
import { formatKb } from '../model/units.js';

/**
 * Rules by the part they play in a story. A cause says where the memory went or what blocked
 * the machine; a mechanism says how that showed (watermarks, thrashing, a hang). The verdict
 * chains the strongest of each, so the first line a person reads names a cause, not a symptom.
 */
const CAUSES = ['driver-suspect', 'process-growth', 'lock-convoy', 'unaccounted-memory', 'memcg-limit', 'repeated-oom-victim'];
const MECHANISMS = ['page-cache-thrash', 'lock-convoy', 'zone-below-min', 'fragmentation', 'alloc-failure-noretry', 'hung-task', 'soft-lockup', 'driver-warning'];
const RANK = { critical: 0, warning: 1, info: 2 } as const;

function pick(findings: readonly Finding[], order: string[], skip: Set<Finding>): Finding | null {
  const ranked = findings
    .filter((f) => order.includes(f.rule) && f.severity !== 'info' && !skip.has(f))
    .sort((a, b) => RANK[a.severity] - RANK[b.severity] || order.indexOf(a.rule) - order.indexOf(b.rule));
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

/** The headline: the cause, then how it showed; null when no rule reached a conclusion. */
export function verdictOf(findings: readonly Finding[], incidents: readonly Incident[]): string | null {
  const used = new Set<Finding>();
  const cause = pick(findings, CAUSES, used);
  if (cause) used.add(cause);
  // unaccounted-memory and driver-suspect tell one story; the driver's title already has the size.
  if (cause?.rule === 'driver-suspect') findings.filter((f) => f.rule === 'unaccounted-memory').forEach((f) => used.add(f));
  const mechanism = pick(findings, MECHANISMS, used);
  const parts = [cause, mechanism].filter((f): f is Finding => f != null).map((f) => sentence(f.title));
  const kill = killSentence(incidents);
  if (parts.length === 0) return kill;
  return [...(kill && !cause ? [kill] : []), ...parts].join(' ');
}
