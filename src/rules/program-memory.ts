import type { EvidenceLine } from '../model/common.js';
import type { Finding } from '../model/finding.js';
import { formatKb } from '../model/units.js';
import { optionsOf, type Rule, type RuleContext, type RuleMeta, type RuleOptions } from './types.js';
import { lineAt, pct } from './util/snapshot-lines.js';
import { headerEvidence } from './util/text.js';
import { groupStories, type StoryItem } from './util/story-groups.js';
import type { ProgramMemoryFinding } from '../model/findings/program-memory.js';
import type { OomKillIncident } from '../model/kernel-incidents.js';
import { accountMemInfo } from '../accounting/index.js';
import { programs } from './where-memory-went.js';

const meta: RuleMeta<'program-memory'> = {
  id: 'program-memory', severity: 'warning', role: 'cause', precedence: 25,
  description: 'One process, or the instances of one program together, held most of the memory in an OOM report\'s task table.',
  options: {
    tableShare: { default: 0.5, description: 'the program holds at least this share of the task table\'s rss' },
    ramShare: { default: 0.3, description: 'and at least this share of the memory the kernel manages' },
    instances: { default: 2, description: 'from this many processes of one name, they are spoken of as one program' },
    singleProcessShare: { default: 0.8, description: '… unless the largest of them holds this share of the program\'s rss' },
    groupReports: { default: 2, description: 'global OOM kills where the same program held the memory (as one process or as many, killed or not) from which they are one finding' },
  },
};

/**
 * One global OOM's story: the program that held the memory, as one process or as many, and whether
 * the OOM killer killed one of it. The finding is built only when written (issue 10: a flapping
 * node's thousands of OOMs gave one finding each, ≈ 5 KB apiece with the other rules').
 */
function story(ctx: RuleContext, inc: OomKillIncident, index: number, o: RuleOptions): { key: string; finding: () => ProgramMemoryFinding } | null {
  // A report cut off mid-way may have lost task rows: shares of a partial table cannot be told.
  if (inc.cgroupOom || inc.partial || !inc.processTable || !inc.memInfoReport) return null;
  const acc = accountMemInfo({ memInfoReport: inc.memInfoReport, memInfo: inc.memInfo, zones: inc.zones });
  const ps = acc.pageSizeKb;
  const totalKb = acc.totalKb;
  if (ps == null || totalKb == null) return null;
  const t = inc.processTable;
  const [top] = programs(t.all);
  if (!top || t.sumRssPages === 0) return null;
  const kb = top.rssPages * ps;
  if (top.rssPages < t.sumRssPages * o.tableShare || kb < totalKb * o.ramShare) return null;
  const big = [...top.rows].sort((a, b) => (b.rssPages ?? 0) - (a.rssPages ?? 0));
  const many = top.rows.length >= o.instances && (big[0].rssPages ?? 0) < top.rssPages * o.singleProcessShare;
  const who = many ? `${top.rows.length} instances of ${top.comm}` : `${top.comm} (pid ${big[0].pid}${top.rows.length > 1 ? ` and ${top.rows.length - 1} smaller process${top.rows.length > 2 ? 'es' : ''} of that name` : ''})`;
  const victim = inc.victim.comm === top.comm;
  return { key: JSON.stringify([top.comm, many, victim]), finding: () => ({
    rule: meta.id, severity: 'warning',
    title: `${who} held ${formatKb(kb)} (${pct(kb, totalKb)} of memory)${many ? ': one program\'s copies together' : ''}`,
    explanation: [
      `The task table's rss column adds up to ${t.sumRssPages} pages; ${who} hold${many ? '' : 's'} ${top.rssPages} of them (${pct(top.rssPages, t.sumRssPages)}), ${kb} kB, ${pct(kb, totalKb)} of the ${formatKb(totalKb)} the kernel manages.`,
      many ? 'rss counts a page shared between processes (forked copies, the same file mapped) once in each, so for many instances of one program this sum is an upper bound of what they hold together.' : '',
      many ? `Per instance: ${big.slice(0, 5).map((r) => `pid ${r.pid} ${r.rssPages} pages`).join(', ')}${big.length > 5 ? ', …' : ''}. Each one alone is small enough to look harmless; together they are the memory. Killing one (the OOM killer's choice) frees only its share, and the next allocation fails again while the others keep growing or a supervisor restarts it.` : 'A single process with most of the memory is a leak or an undersized machine for its working set.',
      victim ? `The OOM killer killed ${inc.victim.comm} (pid ${inc.victim.pid}), one of them.` : `The OOM killer killed ${inc.victim.comm ?? '?'} (pid ${inc.victim.pid ?? '?'}), not one of them: its score (rss plus swap and page tables, adjusted by oom_score_adj) was higher, or theirs was lowered.`,
    ].join(' '),
    incidents: [index],
    evidence: [headerEvidence(ctx, inc), ...big.slice(0, 3).map((r) => lineAt(ctx, inc.input, r.line, r.comm))].filter((e): e is EvidenceLine => e != null),
    data: { program: top.comm, instances: top.rows.length, rssPages: top.rssPages, rssKb: kb, tableRssPages: t.sumRssPages, totalKb, pids: big.map((r) => r.pid), victimIsOne: victim },
    advice: [many ? `Find what starts ${top.comm} (systemd unit, cron, a supervisor's restart loop, a per-request fork) and cap them together: a memory cgroup (MemoryMax= in the unit) around all of them, not a ulimit per process.` : `Watch ${top.comm}'s RSS over time (ps -o rss, /proc/PID/smaps_rollup) to tell a leak from a working set that outgrew the machine; cap it with a memory cgroup so it is killed alone.`],
  }) };
}

export const programMemory: Rule = {
  meta,
  check(ctx: RuleContext, options?: RuleOptions): Finding[] {
    const o = optionsOf(meta, options);
    const items: StoryItem<ProgramMemoryFinding>[] = [];
    ctx.incidents.forEach((inc, index) => {
      if (inc.kind !== 'oom_kill') return;
      const s = story(ctx, inc, index, o);
      if (s) items.push({ index, inc, key: s.key, finding: () => story(ctx, inc, index, o)!.finding() });
    });
    return groupStories(ctx, items, o.groupReports, (n, from, to) => `The same program held most of the task table's rss at ${n} OOM kills, from ${from} to ${to}.`);
  },
};
