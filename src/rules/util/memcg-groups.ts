import type { WhereMemoryWentFinding } from '../../model/findings/where-memory-went.js';
import type { OomKillIncident } from '../../model/kernel-incidents.js';
import type { RuleContext } from '../types.js';
import { headerEvidence, uniqueEvidence, when } from './text.js';

/**
 * One memcg OOM: what makes two of them the same story (cgroup, holder, culprit), and its finding,
 * built when asked (only the findings written are built: the last of a group, the ungrouped).
 */
export interface MemcgItem { index: number; inc: OomKillIncident; finding: () => WhereMemoryWentFinding; key: string }

/**
 * where-memory-went says what filled the cgroup at each memcg OOM. A flapping cgroup (the same
 * program filling the same limit, killed again and again) gave one finding per kill: from
 * `groupFrom` kills with the same story on, they are one finding, the last in detail, the first
 * and last as evidence; fewer stay one finding each (issue 10).
 */
export function groupMemcgItems(ctx: RuleContext, items: readonly MemcgItem[], groupFrom: number): WhereMemoryWentFinding[] {
  const groups = new Map<string, MemcgItem[]>();
  for (const it of items) {
    const list = groups.get(it.key);
    if (list) list.push(it);
    else groups.set(it.key, [it]);
  }
  const out: WhereMemoryWentFinding[] = [];
  for (const g of groups.values()) {
    if (g.length < groupFrom) { for (const it of g) out.push(it.finding()); continue; }
    const first = g[0], last = g[g.length - 1];
    const lastFinding = last.finding();
    const at = (it: MemcgItem): string => when(it.inc).replace(/^ at /, '') || `line ${it.inc.line}`;
    out.push({
      ...lastFinding,
      title: `${lastFinding.title} (the same at ${g.length} OOM kills)`,
      explanation: `The same holder filled this cgroup at ${g.length} OOM kills, from ${at(first)} to ${at(last)}. The last of them: ${lastFinding.explanation}`,
      incidents: g.map((it) => it.index),
      evidence: uniqueEvidence([headerEvidence(ctx, first.inc), ...lastFinding.evidence]),
      data: { ...lastFinding.data!, reports: g.length, firstIncident: first.index, lastIncident: last.index },
    });
  }
  return out.sort((a, b) => a.incidents[0] - b.incidents[0]);
}
