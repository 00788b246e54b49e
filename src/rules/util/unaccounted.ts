import type { EvidenceLine } from '../../model/common.js';
import type { Incident } from '../../model/incident.js';
import type { MemInfoReport } from '../../model/kernel-incidents.js';
import type { MeminfoSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { RuleContext } from '../types.js';
import { lineIn } from './snapshot-lines.js';
import { accountMeminfo, accountMemInfo, type Accounting, type MeminfoExtras } from '../../accounting/index.js';
import type { VmstatSnapshotIncident, ZoneinfoSnapshotIncident } from '../../model/snapshot-incidents.js';

/** Memory that no counter of a meminfo or Mem-Info report accounts for. */
export interface Unaccounted {
  index: number;
  incident: Incident;
  source: 'meminfo' | 'mem-info';
  totalKb: number;
  accountedKb: number;
  unaccountedKb: number;
  /** Each term of the sum, in kB, by the name the input prints. */
  terms: [string, number][];
  /** The formula in words, for the explanation. */
  formula: string;
  /** Mem-Info only: the page size and the task table's rss sum. */
  pageSizeKb: number | null;
  taskRssPages: number | null;
  notes: string[];
  accounting: Accounting;
  evidence: (ctx: RuleContext) => EvidenceLine[];
}

/** The per-CPU free lists and zsmalloc size from a zoneinfo/vmstat pasted in the same run, when exactly one meminfo is there to pair with. */
function extrasFor(incidents: readonly Incident[], pageSizeKb: number | null): MeminfoExtras {
  const x: MeminfoExtras = {};
  if (incidents.filter((i) => i.kind === 'meminfo_snapshot').length !== 1) return x;
  const zi = incidents.filter((i): i is ZoneinfoSnapshotIncident => i.kind === 'zoneinfo_snapshot');
  const vm = incidents.filter((i): i is VmstatSnapshotIncident => i.kind === 'vmstat_snapshot');
  const ps = pageSizeKb;
  if (zi.length === 1 && zi[0].pcpCountPages != null && ps != null) x.pcpFreeKb = zi[0].pcpCountPages * ps;
  if (vm.length === 1 && vm[0].counters.nr_zspages !== undefined && ps != null) x.zsmallocKb = vm[0].counters.nr_zspages * ps;
  return x;
}

/** Page size from a vmstat next to the meminfo (AnonPages in kB over nr_anon_pages). */
function pageSizeOf(m: MeminfoSnapshotIncident, incidents: readonly Incident[]): number | null {
  const vm = incidents.find((i): i is VmstatSnapshotIncident => i.kind === 'vmstat_snapshot');
  const pages = vm?.counters.nr_anon_pages;
  return m.anonPagesKb && pages ? 2 ** Math.round(Math.log2(m.anonPagesKb / pages)) : null;
}

/** The accounting of a meminfo, as the unaccounted-memory rule reads it (null: no remainder to state). */
export function fromMeminfo(m: MeminfoSnapshotIncident, index: number, incidents: readonly Incident[] = [m],
  acc: Accounting = accountMeminfo(m.counters, extrasFor(incidents, pageSizeOf(m, incidents)))): Unaccounted | null {
  if (acc.unaccountedKb == null || acc.totalKb == null) return null;
  return {
    index, incident: m, source: 'meminfo', totalKb: acc.totalKb, accountedKb: acc.accountedKb, unaccountedKb: acc.unaccountedKb, terms: acc.terms,
    formula: acc.formula, pageSizeKb: null, taskRssPages: null, notes: acc.estimates, accounting: acc,
    evidence: (ctx) => ['MemTotal:', 'MemFree:', 'MemAvailable:', 'AnonPages:', 'Slab:', 'VmallocUsed:', 'Percpu:', 'Hugetlb:']
      .map((n) => lineIn(ctx, m, n, true)).filter((e): e is EvidenceLine => e != null),
  };
}

/**
 * The accounting of a report's Mem-Info, as the unaccounted-memory rule reads it (null: no remainder to state).
 * `acc` may be the report's accounting already taken (accountingOf): its task and slab lists fill only
 * holders' `inside`, which nothing here reads.
 */
export function fromMemInfoReport(r: MemInfoReport, inc: Incident, index: number, taskRssPages: number | null, acc: Accounting = ownAccounting(r, inc)): Unaccounted | null {
  if (acc.unaccountedKb == null || acc.totalKb == null) return null;
  // A page allocation failure prints its Mem-Info after the call trace, past the incident's own lines.
  const span = { input: inc.input, line: Math.min(inc.line, r.line), endLine: Math.max(inc.endLine, r.line + 80) };
  return {
    index, incident: inc, source: 'mem-info', totalKb: acc.totalKb, accountedKb: acc.accountedKb, unaccountedKb: acc.unaccountedKb, terms: acc.terms,
    formula: acc.formula, pageSizeKb: acc.pageSizeKb, taskRssPages, notes: acc.estimates, accounting: acc,
    evidence: (ctx) => ['Mem-Info:', 'active_anon:', 'slab_reclaimable:', 'free_pcp:', 'pages RAM', 'pages reserved']
      .map((n) => lineIn(ctx, span, n)).filter((e): e is EvidenceLine => e != null),
  };
}

/** The Mem-Info counters and zone lines are the incident's own fields, not the report's. */
function ownAccounting(r: MemInfoReport, inc: Incident): Accounting {
  const own = inc.kind === 'oom_kill' || inc.kind === 'page_alloc_failure' || inc.kind === 'sysrq_show_mem' || inc.kind === 'show_mem' ? inc : null;
  return accountMemInfo({ memInfoReport: r, memInfo: own?.memInfo ?? null, zones: own?.zones ?? [] });
}

/** One incident's accounting (a meminfo, or a global report's Mem-Info), or null when it has none. */
export function accountingOf(inc: Incident, incidents: readonly Incident[]): Accounting | null {
  if (inc.kind === 'meminfo_snapshot') return accountMeminfo(inc.counters, extrasFor(incidents, pageSizeOf(inc, incidents)));
  if (hasGlobalMemInfo(inc)) return accountMemInfo({ memInfoReport: inc.memInfoReport!, memInfo: inc.memInfo, zones: inc.zones }, inc.kind === 'oom_kill' ? { tasks: inc.processTable?.all ?? null, slab: inc.unreclaimableSlab ?? null } : {});
  return null;
}

type WithMemInfo = Extract<Incident, { memInfoReport: MemInfoReport | null }>;
const hasGlobalMemInfo = (inc: Incident): inc is WithMemInfo =>
  (inc.kind === 'oom_kill' || inc.kind === 'page_alloc_failure' || inc.kind === 'sysrq_show_mem' || inc.kind === 'show_mem') && inc.memInfoReport != null && !('cgroupOom' in inc && inc.cgroupOom);

/**
 * One incident's remainder (a meminfo, or a global report's Mem-Info), or null when it allows no sum.
 * `acc`: its accountingOf when the caller has it already, so the counters are not added up twice.
 */
export function unaccountedOf(inc: Incident, index: number, incidents: readonly Incident[], acc?: Accounting): Unaccounted | null {
  if (inc.kind === 'meminfo_snapshot') return fromMeminfo(inc, index, incidents, acc);
  if (hasGlobalMemInfo(inc)) return fromMemInfoReport(inc.memInfoReport!, inc, index, inc.kind === 'oom_kill' ? inc.processTable?.sumRssPages ?? null : null, acc);
  return null;
}

/**
 * The report with the most memory outside the counters among those large enough to report (the
 * first of equals, in input order), or null. Keeps one at a time, not every report's accounting.
 */
export function largestUnaccounted(incidents: readonly Incident[], o: Parameters<typeof isLarge>[1]): Unaccounted | null {
  let best: Unaccounted | null = null;
  incidents.forEach((inc, index) => {
    const u = unaccountedOf(inc, index, incidents);
    if (u && isLarge(u, o) && (best === null || u.unaccountedKb > best.unaccountedKb)) best = u;
  });
  return best;
}

/**
 * Large enough to report: 10 % of RAM, or 1 GiB on big machines. On a 1 TiB host 1 GiB is 0.1 %,
 * within what per-CPU, vmalloc and other uncounted kernel memory normally take, so the 1 GiB
 * branch also asks for 1 % of RAM. The thresholds are unaccounted-memory's options.
 */
export function isLarge(u: Unaccounted, o: { reportShare: number; reportBigKb: number; reportBigShare: number }): boolean {
  return u.unaccountedKb >= u.totalKb * o.reportShare || (u.unaccountedKb >= o.reportBigKb && u.unaccountedKb >= u.totalKb * o.reportBigShare);
}
