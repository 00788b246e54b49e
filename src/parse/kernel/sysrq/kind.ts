/** Magic SysRq dumps: l (backtraces), w (blocked tasks), t (all tasks), m (memory). */
import type { IncidentBase, StackFrame, ZoneInfo, MemInfoReport } from '../../../model/kernel-incidents.js';
import type { KernelInfo } from '../../../model/common.js';
import { formatKb, pagesToKb } from '../../../model/units.js';
import { parseSysrq } from './parse.js';
import { kernelText, memoryLines } from '../common/text.js';
import type { KernelKind } from '../kind.js';

/** A task's stack in a sysrq w/l/t dump. */
export interface TaskStack {
  comm: string;
  pid: number | null;
  state: string | null;
  cpu: number | null;
  /** For NMI backtraces: the PC function ("shrink_page_list"). */
  pc: string | null;
  frames: StackFrame[];
  line: number;
}

export interface SysrqIncident extends IncidentBase {
  kind: 'sysrq_backtrace' | 'sysrq_blocked' | 'sysrq_show_mem' | 'sysrq_show_state' | 'show_mem';
  command: string;
  tasks: TaskStack[];
  memInfo: Record<string, number> | null;
  memInfoReport: MemInfoReport | null;
  zones: ZoneInfo[];
  kernel: KernelInfo | null;
}

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

export const sysrq: KernelKind<SysrqIncident, 'sysrq'> = {
  id: 'sysrq',
  incidentKinds: ['sysrq_backtrace', 'sysrq_blocked', 'sysrq_show_state', 'sysrq_show_mem'],
  markers: ['sysrq:', 'SysRq'],
  // 2.6.x–3.x print "SysRq : Show Memory" with no "sysrq: " prefix (see sysrq.ts).
  start: /^\s*(?:sysrq: (?:SysRq : )?|SysRq : )(?:Show|Trigger|Emergency|HELP)/i,
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
};
