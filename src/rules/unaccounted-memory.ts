import type { Finding, Severity } from '../model/finding.js';
import type { UnaccountedMemoryFinding } from '../model/findings/unaccounted-memory.js';
import type { Incident } from '../model/incident.js';
import type { Accounting } from '../accounting/index.js';
import { formatKb } from '../model/units.js';
import { optionsOf, type Rule, type RuleContext, type RuleMeta, type RuleOptions } from './types.js';
import { lineIn, pct } from './util/snapshot-lines.js';
import { groupStories, type StoryItem } from './util/story-groups.js';
import { kb } from './util/text.js';
import { accountingOf, isLarge, unaccountedOf, type Unaccounted } from './util/unaccounted.js';
import type { EvidenceLine } from '../model/common.js';

function severityOf(u: Unaccounted, o: RuleOptions): Severity {
  const share = u.unaccountedKb / u.totalKb;
  return share >= o.criticalShare ? 'critical' : share >= o.warningShare ? 'warning' : 'info';
}

const meta: RuleMeta<'unaccounted-memory'> = {
  id: 'unaccounted-memory', severity: 'critical', role: 'cause', precedence: 40,
  description: 'Total memory minus every counter that accounts for it: memory held by kernel or driver allocations no counter shows.',
  options: {
    reportShare: { default: 0.1, description: 'remainder reported when at least this share of RAM' },
    reportBigKb: { default: 1024 * 1024, description: 'or when at least this many kB …' },
    reportBigShare: { default: 0.01, description: '… and at least this share of RAM (1 GiB on a 1 TiB host is normal kernel use)' },
    warningShare: { default: 0.1, description: 'warning from this share of RAM' },
    criticalShare: { default: 0.25, description: 'critical from this share of RAM' },
    groupReports: { default: 2, description: 'OOM kills with the same story (the same counters missing, or a remainder of the same severity) from which they are one finding' },
  },
};

/** An input whose counters cannot be added up: say so, and what would tell, instead of a figure. */
function cannotTell(ctx: RuleContext, index: number, inc: Incident, a: Accounting): UnaccountedMemoryFinding {
  const ev: EvidenceLine[] = inc.kind === 'meminfo_snapshot'
    ? ['MemTotal:', 'MemFree:'].map((n) => lineIn(ctx, inc, n, true)).filter((e): e is EvidenceLine => e != null)
    : [ctx.evidence(inc.input, inc.line)];
  const what = a.source === 'meminfo' ? 'This /proc/meminfo' : 'This report\'s Mem-Info';
  return {
    rule: meta.id, severity: 'info',
    title: 'Cannot tell whether memory is held outside the counters: the input lacks counters the sum needs',
    explanation: `${what} lacks ${a.missing.join(', ')}. A counter that is not in the input is not zero: adding up without it would report its memory (a huge-page pool, tmpfs, the page cache) as held by nothing, so no remainder is computed. To tell, ${a.toGet}.`,
    incidents: [index], evidence: ev,
    data: { source: a.source, missing: a.missing, unaccountedKb: null, totalKb: a.totalKb },
    advice: [`To get the missing counters: ${a.toGet}.`],
  };
}

function sumSentence(u: Unaccounted): string {
  if (u.source === 'meminfo') {
    const terms = u.terms.map(([n, v]) => `${n} ${v}`).join(' + ');
    return `MemTotal is ${kb(u.totalKb)}, but the /proc/meminfo counters that each hold distinct memory add up to ${kb(u.accountedKb)}: ${u.totalKb} − (${terms}) = ${kb(u.unaccountedKb)}, ${pct(u.unaccountedKb, u.totalKb)} of RAM held by no counter.`;
  }
  const ps = u.pageSizeKb ?? 4;
  const p = (v: number): number => Math.round(v / ps);
  const terms = u.terms.map(([n, v]) => `${n} ${p(v)}`).join(' + ');
  return `The report's Mem-Info accounts for ${p(u.accountedKb)} of the ${p(u.totalKb)} pages the kernel manages (${ps} kB pages): ${p(u.totalKb)} − (${terms}) = ${p(u.unaccountedKb)} pages, ${kb(u.unaccountedKb)} (${pct(u.unaccountedKb, u.totalKb)} of managed memory) held by nothing the report lists.`;
}

/** The finding for one report whose remainder is large. */
function heldOutside(ctx: RuleContext, u: Unaccounted, o: RuleOptions): UnaccountedMemoryFinding {
  const ps = u.pageSizeKb;
  const tasks = u.taskRssPages != null && ps != null
    ? `The task table's rss column adds up to ${u.taskRssPages} pages (${formatKb(u.taskRssPages * ps)}); those pages are already inside the LRU counts above, so the processes do not explain the remainder.`
    : '';
  const explanation = [
    sumSentence(u),
    `Formula: ${u.formula}. Counters that overlap these (Shmem and the file huge pages are inside Cached, AnonHugePages inside AnonPages, Active/Inactive/Mapped/Mlocked/shmem/dirty are views of the same pages) are not added again.`,
    tasks,
    `This memory was allocated by kernel code that reports it nowhere, typically a driver taking pages straight from the page allocator (GPU drivers pinning buffers, a virtual machine's balloon driver, a file system's own cache such as the ZFS ARC, a leak in a module).`,
    `It does not belong to any process: killing processes (or the OOM killer) will not get it back, and a memory cgroup limit does not cover it. It does not prove a leak either: some drivers hold large pools by design, so compare with a healthy machine of the same kind.`,
    ...u.notes,
  ].filter(Boolean).join(' ');
  return {
    rule: meta.id,
    severity: severityOf(u, o),
    title: `${formatKb(u.unaccountedKb)} of ${formatKb(u.totalKb)} (${pct(u.unaccountedKb, u.totalKb)}) is held outside every memory counter`,
    explanation,
    incidents: [u.index],
    evidence: u.evidence(ctx),
    data: {
      source: u.source, totalKb: u.totalKb, accountedKb: u.accountedKb, unaccountedKb: u.unaccountedKb,
      unaccountedPercent: Math.round((1000 * u.unaccountedKb) / u.totalKb) / 10,
      termsKb: Object.fromEntries(u.terms),
      ...(ps != null ? { pageSizeKb: ps, totalPages: u.totalKb / ps, accountedPages: u.accountedKb / ps, unaccountedPages: u.unaccountedKb / ps, taskRssPages: u.taskRssPages } : {}),
    },
    advice: [
      'Look for the driver holding it: `slabtop`/`/proc/slabinfo` for driver caches, `lsmod` for GPU, balloon, ZFS or out-of-tree modules, and the driver\'s own counters (nvidia-smi, /sys/kernel/debug/dri/*, the balloon size on the hypervisor, arcstat).',
      'Count this memory out of what the machine can give to processes (node allocatable, container limits): cgroup limits do not include it.',
    ],
  };
}

export const unaccountedMemory: Rule = {
  meta,
  check(ctx: RuleContext, options?: RuleOptions): Finding[] {
    const o = optionsOf(meta, options);
    // OOM kills with the same story are one finding (the last in detail); snapshots and other
    // reports are never grouped. Each item keeps only its index and story: its accounting is taken
    // again when its finding is written, so 50,000 OOM kills do not hold 50,000 accountings at once.
    const oom = (inc: Incident): boolean => inc.kind === 'oom_kill';
    const unknown: StoryItem<UnaccountedMemoryFinding>[] = [];
    const held: StoryItem<UnaccountedMemoryFinding>[] = [];
    const large = { reportShare: o.reportShare, reportBigKb: o.reportBigKb, reportBigShare: o.reportBigShare };
    ctx.incidents.forEach((inc, index) => {
      const a = accountingOf(inc, ctx.incidents);
      if (a?.missing.length) unknown.push({ index, inc, key: oom(inc) ? a.missing.join(',') : null, finding: () => cannotTell(ctx, index, inc, accountingOf(inc, ctx.incidents)!) });
      const u = a ? unaccountedOf(inc, index, ctx.incidents, a) : null;
      if (u && isLarge(u, large)) held.push({ index, inc, key: oom(inc) ? severityOf(u, o) : null, finding: () => heldOutside(ctx, unaccountedOf(inc, index, ctx.incidents)!, o) });
    });
    return [
      ...groupStories(ctx, unknown, o.groupReports, (n, from, to) => `The same counters were missing at ${n} OOM kills, from ${from} to ${to}.`),
      ...groupStories(ctx, held, o.groupReports, (n, from, to) => `Memory was held outside every counter at ${n} OOM kills, from ${from} to ${to}.`),
    ];
  },
};
