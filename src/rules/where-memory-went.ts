import { accountMemcg, type Accounting, type Holder } from '../accounting/index.js';
import type { EvidenceLine } from '../model/common.js';
import type { Finding, Severity } from '../model/finding.js';
import type { Culprit as CulpritData } from '../model/findings/shared.js';
import type { WhereMemoryWentFinding } from '../model/findings/where-memory-went.js';
import type { Incident } from '../model/incident.js';
import type { OomKillIncident, TaskRow } from '../model/kernel-incidents.js';
import type { SlabSnapshotIncident } from '../model/snapshot-incidents.js';
import { formatKb } from '../model/units.js';
import { optionsOf, type Rule, type RuleContext, type RuleMeta, type RuleOptions } from './types.js';
import { lineAt, lineIn, pct } from './util/snapshot-lines.js';
import { headerEvidence } from './util/text.js';
import { accountingOf } from './util/unaccounted.js';
import { groupStories, type StoryItem } from './util/story-groups.js';

const meta: RuleMeta<'where-memory-went'> = {
  id: 'where-memory-went', severity: 'warning', role: 'context', precedence: 50,
  description: 'Names the holders of memory (process memory, page cache, tmpfs, slab, huge-page pool, page tables…) with size and share, and the culprit inside the largest.',
  options: {
    dominantShare: { default: 0.3, description: 'a holder is named as dominant from this share of total memory' },
    kernelWarningShare: { default: 0.3, description: 'a holder that is not process memory or page cache is a warning from this share' },
    programInstances: { default: 2, description: 'instances of one program counted together from this many' },
    singleProcessShare: { default: 0.8, description: 'one process is named instead of its program when it holds this share of the program\'s rss' },
    groupReports: { default: 2, description: 'OOM kills with the same dominant holders and culprit program (memcg OOMs: of one cgroup) from which they are one finding' },
  },
};

// Memory that processes or the page cache hold is ordinary: the kill line and the other rules
// already speak of it. Memory held outside processes is what a person on call does not expect.
const ORDINARY = new Set(['anon', 'page-cache', 'free', 'per-cpu-free', 'swap-cache']);

interface Culprit { text: string; evidence: EvidenceLine[]; data: CulpritData }

/** Rows of the task table grouped by program name, the largest total first. */
export function programs(rows: readonly TaskRow[]): { comm: string; rows: TaskRow[]; rssPages: number }[] {
  const by = new Map<string, TaskRow[]>();
  for (const r of rows) {
    const list = by.get(r.comm);
    if (list) list.push(r);
    else by.set(r.comm, [r]);
  }
  return [...by].map(([comm, rs]) => ({ comm, rows: rs, rssPages: rs.reduce((s, r) => s + (r.rssPages ?? 0), 0) }))
    .sort((a, b) => b.rssPages - a.rssPages);
}

/** The program holding the most of the task table's rss, when there is one to name (anonCulprit's). */
function topProgram(inc: Incident, ps: number | null): ReturnType<typeof programs>[number] | null {
  if (inc.kind !== 'oom_kill' || !inc.processTable || ps == null) return null;
  const [top] = programs(inc.processTable.all);
  return !top || top.rssPages === 0 ? null : top;
}

/**
 * topProgram's name alone, for a story's key: sums per name without the list of rows and the sort
 * (each OOM kill's key asks for it; only the findings written need the rows). Ties go to the name
 * seen first, as the stable sort in programs() gives them.
 */
export function topProgramName(inc: Incident, ps: number | null): string | null {
  if (inc.kind !== 'oom_kill' || !inc.processTable || ps == null) return null;
  const sums = new Map<string, number>();
  for (const r of inc.processTable.all) sums.set(r.comm, (sums.get(r.comm) ?? 0) + (r.rssPages ?? 0));
  let top: string | null = null;
  let max = 0;
  for (const [comm, pages] of sums) if (top === null || pages > max) { top = comm; max = pages; }
  return top === null || max === 0 ? null : top;
}

function anonCulprit(ctx: RuleContext, inc: Incident, ps: number | null, o: RuleOptions): Culprit | null {
  const top = topProgram(inc, ps);
  if (!top || inc.kind !== 'oom_kill' || !inc.processTable || ps == null) return null;
  const biggest = [...top.rows].sort((a, b) => (b.rssPages ?? 0) - (a.rssPages ?? 0))[0];
  const ev = top.rows.slice(0, 3).map((r) => lineAt(ctx, inc.input, r.line, r.comm)).filter((e): e is EvidenceLine => e != null);
  const share = pct(top.rssPages, inc.processTable.sumRssPages);
  const text = top.rows.length >= o.programInstances && (biggest.rssPages ?? 0) < top.rssPages * o.singleProcessShare
    ? `${top.rows.length} instances of ${top.comm} hold ${top.rssPages} pages (${formatKb(top.rssPages * ps)}, ${share} of the task table's rss)`
    : `${top.comm} (pid ${biggest.pid}) holds ${top.rssPages} pages (${formatKb(top.rssPages * ps)}, ${share} of the task table's rss)`;
  return { text, evidence: ev, data: { program: top.comm, instances: top.rows.length, rssPages: top.rssPages, rssKb: top.rssPages * ps } };
}

function slabCulprit(ctx: RuleContext, h: Holder): Culprit | null {
  const snap = ctx.incidents.find((i): i is SlabSnapshotIncident => i.kind === 'slab_snapshot' && i.caches.length > 0);
  const split = h.split ? `${formatKb(h.split.unreclaimableKb)} of it unreclaimable` : '';
  if (!snap) return split ? { text: split, evidence: [], data: { ...h.split } } : null;
  const size = (c: SlabSnapshotIncident['caches'][number]): number => c.cacheSizeKb ?? (c.cacheSizePages != null ? c.cacheSizePages * 4 : 0);
  const top = [...snap.caches].sort((a, b) => size(b) - size(a)).slice(0, 3);
  return {
    text: `${split ? `${split}; ` : ''}largest caches ${top.map((c) => `${c.name} ${formatKb(size(c))}`).join(', ')}`,
    evidence: top.map((c) => lineAt(ctx, snap.input, c.line, c.name)).filter((e): e is EvidenceLine => e != null),
    data: { ...h.split, caches: top.map((c) => ({ name: c.name, kb: size(c), objects: c.objects })) },
  };
}

function hugeCulprit(a: Accounting): Culprit | null {
  if (!a.hugePools.length) return null;
  const parts = a.hugePools.filter((p) => p.totalPages > 0).map((p) => `${p.totalPages} × ${formatKb(p.sizeKb)} pages${p.node != null ? ` on node ${p.node}` : ''}, ${p.freePages} of them free${p.reservedPages ? `, ${p.reservedPages} reserved` : ''}`);
  const free = a.hugePools.reduce((s, p) => s + p.freePages * p.sizeKb, 0);
  // Reserved pages are free but promised to a mapping; an OOM report does not print them.
  const known = a.hugePools.every((p) => p.reservedPages != null);
  const unused = known ? a.hugePools.reduce((s, p) => s + Math.max(0, p.freePages - p.reservedPages!) * p.sizeKb, 0) : null;
  const tail = unused != null ? `${formatKb(unused)} of the pool is unused (free and reserved by no mapping)` : `${formatKb(free)} of the pool is free (how much of that a mapping has reserved, the report does not say)`;
  return { text: `${parts.join('; ')}: ${tail}, yet no ordinary allocation may use it`, evidence: [], data: { pools: a.hugePools, poolFreeKb: free, poolUnusedKb: unused } };
}

/** The page size a global accounting's process culprit is counted in. */
const psOf = (inc: Incident, a: Accounting): number | null => a.pageSizeKb ?? (inc.kind === 'oom_kill' ? inc.pageSizeKb : null);

function culpritOf(ctx: RuleContext, inc: Incident, a: Accounting, h: Holder, o: RuleOptions): Culprit | null {
  if (h.id === 'anon') return anonCulprit(ctx, inc, psOf(inc, a), o);
  if (h.id === 'slab') return slabCulprit(ctx, h);
  if (h.id === 'hugetlb') return hugeCulprit(a);
  if (h.id === 'shmem') return { text: 'tmpfs files, SysV/POSIX shared memory or memfd; `df -t tmpfs` and `ipcs -m` name them', evidence: [], data: {} };
  return null;
}

function evidenceOf(ctx: RuleContext, inc: Incident, a: Accounting): EvidenceLine[] {
  if (inc.kind === 'meminfo_snapshot') return ['MemTotal:', 'AnonPages:', 'Cached:', 'Shmem:', 'Slab:', 'HugePages_Total:'].map((n) => lineIn(ctx, inc, n, true)).filter((e): e is EvidenceLine => e != null);
  const span = { input: inc.input, line: inc.line, endLine: inc.endLine };
  return [headerEvidence(ctx, inc), ...['active_anon:', 'hugepages_total=', 'pages RAM'].map((n) => lineIn(ctx, span, n))].filter((e): e is EvidenceLine => e != null).slice(0, a.hugePools.some((p) => p.totalPages) ? 4 : 3);
}

/** "v1 prints no limit as PAGE_COUNTER_MAX pages in kB" (9007199254740988kB on x86_64). */
const UNLIMITED_KB = 2 ** 50;

/**
 * Memory cgroups' OOMs: each one's story (cgroup, holder, program) first; the finding itself (its
 * texts and evidence, ≈ 2 KB) is built only for those that are written, the last of a group and
 * those not grouped. 50,000 kills of one flapping cgroup held 50,000 of them at once (issue 10).
 */
function memcgFindings(ctx: RuleContext, o: RuleOptions): Finding[] {
  const out: StoryItem<WhereMemoryWentFinding>[] = [];
  ctx.incidents.forEach((inc, index) => {
    if (inc.kind !== 'oom_kill') return;
    const story = memcgStory(ctx, inc, index, o);
    if (story) out.push({ index, inc, key: story.key, finding: () => memcgStory(ctx, inc, index, o)!.finding() });
  });
  return groupStories(ctx, out, o.groupReports, (n, from, to) => `The same holder filled this cgroup at ${n} OOM kills, from ${from} to ${to}.`);
}

/**
 * The machine's own accountings (meminfo, global reports' Mem-Info), told the same way: global OOM
 * kills with the same dominant holders, severity and culprit program are one story; a meminfo or a
 * dump is never grouped. A flapping node's thousands of global OOMs gave one finding each.
 */
function globalFindings(ctx: RuleContext, o: RuleOptions): Finding[] {
  const out: StoryItem<WhereMemoryWentFinding>[] = [];
  ctx.incidents.forEach((inc, index) => {
    const story = globalStory(ctx, inc, index, o);
    if (story) out.push({ index, inc, key: story.key, finding: () => globalStory(ctx, inc, index, o)!.finding() });
  });
  return groupStories(ctx, out, o.groupReports, (n, from, to) => `The same holders, with the same culprit inside the largest, held most of the memory at ${n} OOM kills, from ${from} to ${to}.`);
}

/** A memory cgroup's OOM: its stats against its limit, and the process inside the largest holder. */
function memcgStory(ctx: RuleContext, inc: OomKillIncident, index: number, o: RuleOptions): { key: string; finding: () => WhereMemoryWentFinding } | null {
  if (!inc.cgroupOom || !inc.memcgInfo || isEmpty(inc.memcgInfo.stats)) return null;
  const mem = inc.memcgInfo.counters.find((c) => c.name === 'memory');
  const limitKb = mem?.limitKb != null && mem.limitKb < UNLIMITED_KB ? mem.limitKb : null;
  if (limitKb == null) return null;
  const kmem = inc.memcgInfo.counters.find((c) => c.name === 'kmem')?.usageKb ?? null;
  const a = accountMemcg(inc.memcgInfo.stats, limitKb, kmem);
  const dominant = a.holders.filter((h) => h.kb >= limitKb * o.dominantShare);
  if (dominant.length === 0) return null;
  const lead = dominant[0];
  const ps = inc.pageSizeKb ?? inc.memInfoReport?.pageSizeKb ?? null;
  const path = inc.memcg ?? inc.memcgInfo.statsFor ?? '?';
  // The key needs only the culprit's program: its texts and evidence lines (read back from the
  // kept lines) only for the findings written, the last of a group (issue 10).
  const program = lead.id === 'anon' ? topProgramName(inc, ps) : null;
  return { key: JSON.stringify([path, lead.id, program]), finding: () => {
    const culprit = lead.id === 'anon' ? anonCulprit(ctx, inc, ps, o) : null;
    const named = dominant.map((h) => `${h.label} ${formatKb(h.kb)} (${pct(h.kb, limitKb)} of the limit)`).join(', ');
    return {
      rule: meta.id, severity: 'info',
      title: `In cgroup ${path}, ${named}${culprit ? `: ${culprit.text.split(';')[0]}` : ''}`,
      explanation: [
        `The cgroup's limit is ${formatKb(limitKb)}; its stats (${a.formula}) show ${a.holders.map((h) => `${h.label} ${formatKb(h.kb)}`).join(', ')}.`,
        culprit ? `Inside ${lead.label}: ${culprit.text}.` : '',
        lead.id === 'page-cache' ? 'Page cache inside a cgroup is reclaimable: an OOM with most of the limit in cache means it could not be reclaimed fast enough (dirty or writeback pages, or mapped and in use).' : '',
        ...a.estimates,
      ].filter(Boolean).join(' '),
      incidents: [index],
      evidence: [headerEvidence(ctx, inc), ...(culprit?.evidence ?? [])],
      data: { source: 'memcg', memcg: path, limitKb, holders: a.holders.map((h) => ({ id: h.id, kb: h.kb, percent: Math.round((1000 * h.kb) / limitKb) / 10 })), dominant: dominant.map((h) => h.id), culprit: culprit?.data ?? null, missing: a.missing },
    };
  } };
}

/** No key at all (without the array Object.keys would make of ≈ 40 counters). */
function isEmpty(rec: Record<string, number>): boolean {
  for (const _ in rec) return false;
  return true;
}

/** A global accounting's story: the dominant holders and the culprit inside the largest. */
function globalStory(ctx: RuleContext, incident: Incident, index: number, o: RuleOptions): { key: string | null; finding: () => WhereMemoryWentFinding } | null {
  const a = accountingOf(incident, ctx.incidents);
  if (!a) return null;
  if (a.totalKb == null || a.totalKb <= 0) return null;
  const total = a.totalKb;
  const held = a.holders.filter((h) => !ORDINARY.has(h.id) || h.id === 'anon' || h.id === 'page-cache').filter((h) => h.kb > 0);
  const dominant = held.filter((h) => h.kb >= total * o.dominantShare);
  if (dominant.length === 0) return null;
  const lead = dominant[0];
  const unusual = dominant.filter((h) => !ORDINARY.has(h.id));
  const severity: Severity = unusual.some((h) => h.kb >= total * o.kernelWarningShare) ? 'warning' : 'info';
  // The key needs only the culprit's program (only a process culprit names one): its texts and
  // evidence, read back from the kept lines, only for the findings written (issue 10).
  const program = incident.kind === 'oom_kill' && lead.id === 'anon' ? topProgramName(incident, psOf(incident, a)) : null;
  const key = incident.kind === 'oom_kill' ? JSON.stringify([severity, dominant.map((h) => h.id), program]) : null;
  return { key, finding: () => {
    const culprit = culpritOf(ctx, incident, a, lead, o);
    const named = dominant.map((h) => `${h.label} ${formatKb(h.kb)} (${pct(h.kb, total)})`).join(', ');
    const of = a.source === 'meminfo' ? 'of RAM (MemTotal)' : 'of the memory the kernel manages';
    const rest = held.filter((h) => !dominant.includes(h)).slice(0, 4).map((h) => `${h.label} ${formatKb(h.kb)}`).join(', ');
    return {
      rule: meta.id, severity,
      title: `Most memory was held by ${named}${culprit ? `: ${culprit.text.split(';')[0]}` : ''}`,
      explanation: [
        `Of ${formatKb(total)} ${of}, ${named}.${rest ? ` Next: ${rest}.` : ''}`,
        culprit ? `Inside ${lead.label}: ${culprit.text}.` : '',
        lead.id === 'hugetlb' ? 'Huge pages reserved with vm.nr_hugepages (or hugepages= at boot) leave the general pool at once, used or not: only programs that map hugetlbfs or use SHM_HUGETLB/MAP_HUGETLB can use them.' : '',
        lead.id === 'shmem' ? 'tmpfs and shared memory are not freed by killing a process: the files stay until they are deleted (or the segment removed), and without swap they cannot be reclaimed at all.' : '',
        lead.id === 'page-tables' ? 'Page tables grow with the mapped address space times the number of processes mapping it (many forks of a big process, huge sparse mappings).' : '',
        a.unaccountedKb == null ? `No remainder is stated: the input lacks ${a.missing.join(', ')}.` : '',
        a.estimates.length && a.unaccountedKb != null ? `The figures come straight from the counters; only the remainder depends on estimates (${a.estimates.length}).` : '',
      ].filter(Boolean).join(' '),
      incidents: [index],
      evidence: [...evidenceOf(ctx, incident, a), ...(culprit?.evidence ?? [])],
      data: {
        source: a.source, totalKb: total,
        holders: a.holders.map((h) => ({ id: h.id, kb: h.kb, percent: Math.round((1000 * h.kb) / total) / 10 })),
        dominant: dominant.map((h) => h.id), culprit: culprit?.data ?? null, unaccountedKb: a.unaccountedKb, missing: a.missing,
      },
    };
  } };
}

export const whereMemoryWent: Rule = {
  meta,
  check(ctx: RuleContext, options?: RuleOptions): Finding[] {
    const o = optionsOf(meta, options);
    return [...memcgFindings(ctx, o), ...globalFindings(ctx, o)];
  },
};
