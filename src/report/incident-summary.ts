import type { Incident } from '../model/incident.js';
import type { KernelIncident } from '../model/kernel-incidents.js';
import { formatKb, pagesToKb } from '../model/units.js';
import type { SnapshotIncident } from '../model/snapshot-incidents.js';
import { snapshotLine } from './snapshot-summary.js';

/** One line per incident for the timeline: what happened, to whom, how big. */
export function oneLine(inc: Incident): string {
  const k = inc as KernelIncident;
  switch (k.kind) {
    case 'oom_kill': {
      const v = k.victim;
      const who = v.pid != null ? `${v.comm} (pid ${v.pid})` : 'unknown victim';
      const scope = k.manual ? 'manual OOM kill (sysrq f, not a shortage)' : k.cgroupOom ? `cgroup OOM${k.memcg ? ` in ${k.memcg}` : ''}` : 'OOM kill';
      const size = v.anonRssKb != null ? `, anon-rss ${formatKb(v.anonRssKb)}` : '';
      const by = k.trigger.comm ? `; triggered by ${k.trigger.comm}${k.trigger.order != null ? ` (order ${k.trigger.order})` : ''}` : '';
      if (k.outcome === 'panic') return `${scope}: the kernel panicked (vm.panic_on_oom) instead of killing${by}`;
      return `${scope}: killed ${who}${size}${by}${k.partial ? ' [report cut off]' : ''}`;
    }
    case 'page_alloc_failure':
      if (k.variant.startsWith('vmalloc')) return `${k.variant}: ${k.comm ?? '?'}${k.pid != null ? ` (pid ${k.pid})` : ''} asked for ${k.sizeBytes != null ? formatKb(Math.round(k.sizeBytes / 1024)) : '?'}${k.reason ? ` (${k.reason})` : ''} ${k.gfpFlags ? k.gfpFlags.join('|') : k.gfpMask ?? ''}`;
      return `${k.variant}: ${k.comm ?? '?'}${k.pid != null ? ` (pid ${k.pid})` : ''} order ${k.order ?? '?'} ${k.gfpFlags ? k.gfpFlags.join('|') : k.gfpMask ?? ''}`;
    case 'hung_task':
      return `hung task: ${k.comm} (pid ${k.pid}) blocked > ${k.seconds} s${k.state ? ` in state ${k.state}` : ''}`;
    case 'soft_lockup':
      return `soft lockup: CPU#${k.cpu} stuck ${k.seconds} s in ${k.comm} (pid ${k.pid})`;
    case 'rcu_stall':
      return `${k.expedited ? 'expedited ' : ''}RCU stall${k.flavor ? ` (${k.flavor})` : ''}${k.cpus.length ? ` on CPU ${k.cpus.join(',')}` : ''}`;
    case 'warning': case 'bug': case 'oops': case 'panic':
      return `${k.message.startsWith(k.kind.toUpperCase()) ? '' : `${k.kind}: `}${k.message}${k.comm ? ` [${k.comm} pid ${k.pid}]` : ''}`;
    case 'sysrq_backtrace': case 'sysrq_blocked': case 'sysrq_show_state':
      return `sysrq "${k.command}": ${k.tasks.length} task stack(s)`;
    case 'sysrq_show_mem': case 'show_mem': {
      const free = k.memInfo?.freePages;
      return `${k.kind === 'show_mem' ? 'Mem-Info dump' : 'sysrq Show Memory'}${free != null ? `: ${formatKb(pagesToKb(free, k.memInfoReport?.pageSizeKb ?? null))} free` : ''}`;
    }
    default:
      return snapshotLine(inc as SnapshotIncident);
  }
}

export function when(inc: Incident): string {
  if (inc.time) return inc.time.replace('T', ' ');
  if (inc.timeText) return inc.timeText;
  if (inc.uptimeSec != null) return `+${inc.uptimeSec.toFixed(3)}s`;
  return '';
}
