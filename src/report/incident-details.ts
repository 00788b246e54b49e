import type { Incident } from '../model/incident.js';
import type { KernelIncident, MemInfoReport, ZoneInfo } from '../model/kernel-incidents.js';
import { formatKb, limitText, pagesToKb } from '../model/units.js';

function zoneText(z: ZoneInfo): string {
  const mark = z.belowMin ? ' BELOW MIN' : '';
  const largest = z.buddy?.largestFreeOrder;
  return `node ${z.node} ${z.zone}: free ${z.freeKb ?? '?'} kB, min ${z.minKb ?? '?'} / low ${z.lowKb ?? '?'} / high ${z.highKb ?? '?'} kB${mark}` +
    (largest != null ? `; largest free block order ${largest}` : '');
}

/** The biggest Mem-Info counters, in the report's own page size. */
function memText(r: MemInfoReport): string {
  const keys = ['activeAnonPages', 'inactiveAnonPages', 'activeFilePages', 'inactiveFilePages', 'shmemPages',
    'slabReclaimablePages', 'slabUnreclaimablePages', 'pagetablesPages', 'freePages'];
  return keys.filter((k) => r.memInfo[k] != null)
    .map((k) => {
      // Without a known page size the counter stays in pages rather than guessing a unit.
      const kb = pagesToKb(r.memInfo[k], r.pageSizeKb);
      return `${k.replace(/Pages$/, '')} ${kb == null ? `${r.memInfo[k]} pages` : formatKb(kb)}`;
    })
    .join(', ');
}

function kernelText(k: { version: string | null; taint: string | null } | null): string | null {
  if (!k || k.version == null) return null;
  return `kernel ${k.version}, ${k.taint ? `tainted ${k.taint}` : 'not tainted'}`;
}

/** Key facts of one incident, a few indented lines. */
export function details(inc: Incident): string[] {
  const k = inc as KernelIncident;
  const out: string[] = [];
  const kt = 'kernel' in k ? kernelText(k.kernel) : null;
  if (kt) out.push(kt);
  switch (k.kind) {
    case 'oom_kill': {
      const t = k.trigger;
      if (t.comm) out.push(`trigger: ${t.comm}${t.pid != null ? ` pid ${t.pid}` : ''}, order ${t.order ?? '?'}, gfp ${t.gfpMask ?? '?'}${t.gfpFlags ? ` (${t.gfpFlags.join('|')})` : ''}, oom_score_adj ${t.oomScoreAdj ?? '?'}`);
      if (k.constraint) out.push(`constraint: ${k.constraint}${k.memcg ? `, memcg ${k.memcg}` : ''}`);
      const v = k.victim;
      if (v.pid != null) out.push(`victim: ${v.comm} pid ${v.pid}, total-vm ${formatKb(v.totalVmKb)}, anon-rss ${formatKb(v.anonRssKb)}, file-rss ${formatKb(v.fileRssKb)}, shmem-rss ${formatKb(v.shmemRssKb)}${v.score != null ? `, score ${v.score}` : ''}`);
      for (const c of k.memcgInfo?.counters ?? []) out.push(`cgroup ${c.name}: usage ${formatKb(c.usageKb)}, ${limitText(c.limitKb) === 'no limit' ? 'no limit' : `limit ${limitText(c.limitKb)}`}, failcnt ${c.failcnt}`);
      for (const z of k.zones) out.push(zoneText(z));
      if (k.memInfoReport) out.push(`memory: ${memText(k.memInfoReport)}`);
      const pt = k.processTable;
      if (pt) out.push(`tasks: ${pt.rows} listed, rss sum ${pt.sumRssPages} pages${k.pageSizeKb ? ` (${formatKb(pt.sumRssPages * k.pageSizeKb)})` : ''}; largest: ${pt.top.slice(0, 5).map((r) => `${r.comm} ${r.rssPages ?? '?'}`).join(', ')}`);
      break;
    }
    case 'page_alloc_failure':
      for (const z of k.zones) out.push(zoneText(z));
      if (k.memInfoReport) out.push(`memory: ${memText(k.memInfoReport)}`);
      break;
    case 'hung_task': case 'soft_lockup': case 'rcu_stall': case 'warning': case 'bug': case 'oops': case 'panic': {
      const frames = k.callTrace.filter((f) => !f.unreliable).slice(0, 8);
      if (frames.length) out.push(`stack: ${frames.map((f) => f.fn + (f.module ? ` [${f.module}]` : '')).join(' < ')}`);
      break;
    }
    case 'sysrq_backtrace': case 'sysrq_blocked': case 'sysrq_show_state':
      for (const t of k.tasks.slice(0, 8)) out.push(`${t.comm} pid ${t.pid ?? '?'} ${t.state ?? ''}${t.cpu != null ? ` cpu ${t.cpu}` : ''}: ${t.frames.slice(0, 6).map((f) => f.fn).join(' < ')}`);
      if (k.tasks.length > 8) out.push(`… and ${k.tasks.length - 8} more tasks`);
      break;
    case 'sysrq_show_mem': case 'show_mem':
      for (const z of k.zones) out.push(zoneText(z));
      if (k.memInfoReport) out.push(`memory: ${memText(k.memInfoReport)}`);
      break;
    default:
      break;
  }
  return out;
}
