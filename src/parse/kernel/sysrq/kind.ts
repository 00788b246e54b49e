/** Magic SysRq dumps: l (backtraces), w (blocked tasks), t (all tasks), m (memory). */
import type { SysrqIncident } from '../../../model/kernel-incidents.js';
import { formatKb, pagesToKb } from '../../../model/units.js';
import { parseSysrq } from './parse.js';
import { kernelText, memoryLines } from '../common/text.js';
import { kernelKind } from '../kind.js';

export function sysrqSummary(k: SysrqIncident): string {
  if (k.kind === 'sysrq_show_mem' || k.kind === 'show_mem') {
    const free = k.memInfo?.freePages;
    return `${k.kind === 'show_mem' ? 'Mem-Info dump' : 'sysrq Show Memory'}${free != null ? `: ${formatKb(pagesToKb(free, k.memInfoReport?.pageSizeKb ?? null))} free` : ''}`;
  }
  return `sysrq "${k.command}": ${k.tasks.length} task stack(s)`;
}

export function sysrqDetails(k: SysrqIncident): string[] {
  const out: string[] = [];
  const kt = kernelText(k.kernel);
  if (kt) out.push(kt);
  if (k.kind === 'sysrq_show_mem' || k.kind === 'show_mem') return [...out, ...memoryLines(k)];
  for (const t of k.tasks.slice(0, 8)) out.push(`${t.comm} pid ${t.pid ?? '?'} ${t.state ?? ''}${t.cpu != null ? ` cpu ${t.cpu}` : ''}: ${t.frames.slice(0, 6).map((f) => f.fn).join(' < ')}`);
  if (k.tasks.length > 8) out.push(`… and ${k.tasks.length - 8} more tasks`);
  return out;
}

export const sysrq = kernelKind<SysrqIncident>({
  id: 'sysrq',
  incidentKinds: ['sysrq_backtrace', 'sysrq_blocked', 'sysrq_show_state', 'sysrq_show_mem'],
  markers: ['sysrq:', 'SysRq'],
  start: /^\s*sysrq: (?:SysRq : )?(?:Show|Trigger|Emergency|HELP)/i,
  tolerance: 2,
  belongs: (_open, kind) => kind === 'showmem',
  endsHere: () => false,
  asksOtherCpus: true,
  read(lines) {
    const s = parseSysrq(lines);
    return s ? [s] : [];
  },
  summary: sysrqSummary,
  details: sysrqDetails,
});
