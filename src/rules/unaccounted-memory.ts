import type { Finding, Severity } from '../model/finding.js';
import { formatKb } from '../model/units.js';
import type { Rule, RuleContext } from './types.js';
import { pct } from './util/snapshot-lines.js';
import { kb } from './util/text.js';
import { isLarge, unaccountedReports, type Unaccounted } from './util/unaccounted.js';

function severityOf(u: Unaccounted): Severity {
  const share = u.unaccountedKb / u.totalKb;
  return share >= 0.25 ? 'critical' : share >= 0.1 ? 'warning' : 'info';
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

export const unaccountedMemory: Rule = {
  meta: { id: 'unaccounted-memory', severity: 'critical', description: 'Total memory minus every counter that accounts for it: memory held by kernel or driver allocations no counter shows.' },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const u of unaccountedReports(ctx.incidents)) {
      if (!isLarge(u)) continue;
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
      out.push({
        rule: 'unaccounted-memory',
        severity: severityOf(u),
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
      });
    }
    return out;
  },
};
