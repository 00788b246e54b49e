import type { Finding } from '../../model/finding.js';
import type { Incident } from '../../model/incident.js';
import type { RuleContext } from '../types.js';
import { headerEvidence, uniqueEvidence, when } from './text.js';

/**
 * One incident as a rule tells it: what makes two of them the same story (the key: only OOM kills
 * get one, since a group's title counts OOM kills; null: never grouped) and its finding, built when asked. Only the findings that are written are built (the
 * last of a group, the ungrouped ones): 50,000 kills of a flapping node held 50,000 findings of
 * ≈ 2–5 KB each at once beside the incidents (issue 10).
 */
export interface StoryItem<F extends Finding> { index: number; inc: Incident; key: string | null; finding: () => F }

/** The fields a grouped finding adds to its rule's data: how many OOMs, the first and the last. */
export interface GroupedData { reports?: number; firstIncident?: number; lastIncident?: number }

/** The first sentence of a group's explanation: "<what stayed the same> at N OOM kills, from A to B." */
export type GroupLead = (count: number, from: string, to: string) => string;

/**
 * From `groupFrom` OOM kills with the same story on, one finding: the last in detail (its title
 * says how many), the span from the first to the last, every incident, the first's header and the
 * last's evidence. Fewer stay one finding each, exactly as without grouping. In the order of the
 * kills, a group at its first.
 */
export function groupStories<F extends Finding & { data?: GroupedData }>(ctx: RuleContext, items: readonly StoryItem<F>[], groupFrom: number, lead: GroupLead): F[] {
  const groups = new Map<string, StoryItem<F>[]>();
  const alone: StoryItem<F>[][] = [];
  for (const it of items) {
    if (it.key == null) { alone.push([it]); continue; }
    const list = groups.get(it.key);
    if (list) list.push(it);
    else groups.set(it.key, [it]);
  }
  const out: F[] = [];
  for (const g of [...groups.values(), ...alone]) {
    if (g.length < groupFrom || g.length < 2) { for (const it of g) out.push(it.finding()); continue; }
    const first = g[0], last = g[g.length - 1];
    const f = last.finding();
    const at = (it: StoryItem<F>): string => when(it.inc).replace(/^ at /, '') || `line ${it.inc.line}`;
    out.push({
      ...f,
      title: `${f.title} (the same at ${g.length} OOM kills)`,
      explanation: `${lead(g.length, at(first), at(last))} The last of them: ${f.explanation}`,
      incidents: g.map((it) => it.index),
      evidence: uniqueEvidence([headerEvidence(ctx, first.inc), ...f.evidence]),
      data: { ...f.data!, reports: g.length, firstIncident: first.index, lastIncident: last.index },
    } as F);
  }
  return out.sort((a, b) => a.incidents[0] - b.incidents[0]);
}
