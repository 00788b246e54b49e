/** warn_alloc() reports: page allocation, vmemmap and vmalloc failures, with their Mem-Info. */
import type { IncidentBase, StackFrame, ZoneInfo, MemInfoReport } from '../../../model/kernel-incidents.js';
import type { KernelInfo } from '../../../model/common.js';
import { formatKb } from '../../../model/units.js';
import { parseAllocFailure } from './failure.js';
import { kernelText, memoryLines } from '../common/text.js';
import type { KernelKind } from '../kind.js';

export interface PageAllocFailureIncident extends IncidentBase {
  kind: 'page_alloc_failure';
  comm: string | null;
  pid: number | null;
  order: number | null;
  gfpMask: string | null;
  gfpFlags: string[] | null;
  /** True when the log printed the mode bare and gfpFlags come from that kernel version's gfp table. */
  gfpFlagsDecoded?: boolean;
  nodemask: string | null;
  /** "page allocation failure", "vmemmap alloc failure", "vmalloc error" or "vmalloc allocation failure". */
  variant: string;
  /** vmalloc failures: the size asked for, in bytes, else absent/null. */
  sizeBytes?: number | null;
  /** vmalloc failures: why, as printed ("exceeds total pages", "page order 0, failed to allocate pages"). */
  reason?: string | null;
  kernel: KernelInfo;
  callTrace: StackFrame[];
  memInfo: Record<string, number> | null;
  memInfoReport: MemInfoReport | null;
  zones: ZoneInfo[];
  /** Line of the Mem-Info attached to this failure (it may be printed apart from the header). */
  memInfoLine: number | null;
}

export const alloc: KernelKind<PageAllocFailureIncident, 'alloc'> = {
  id: 'alloc',
  incidentKinds: ['page_alloc_failure'],
  markers: ['page allocation failure', 'vmemmap alloc failure', 'vmalloc error', 'vmalloc: allocation failure', 'vmalloc size'],
  start: /: page allocation failure[:.] order|vmemmap alloc failure: order|vmalloc error: size \d+|vmalloc: allocation failure[:,] |vmalloc size \d+ allocation failure/,
  tolerance: 2,
  belongs: (_open, kind) => kind === 'showmem',
  endsHere: () => false,
  identity: (k) => JSON.stringify([k.comm, k.pid, k.order, k.gfpMask]),
  read: (lines) => [parseAllocFailure(lines)],
  summary(k) {
    const who = `${k.comm ?? '?'}${k.pid != null ? ` (pid ${k.pid})` : ''}`;
    const gfp = k.gfpFlags ? k.gfpFlags.join('|') : k.gfpMask ?? '';
    if (k.variant.startsWith('vmalloc')) return `${k.variant}: ${who} asked for ${k.sizeBytes != null ? formatKb(Math.round(k.sizeBytes / 1024)) : '?'}${k.reason ? ` (${k.reason})` : ''} ${gfp}`;
    return `${k.variant}: ${who} order ${k.order ?? '?'} ${gfp}`;
  },
  details(k) {
    const kt = kernelText(k.kernel);
    return [...(kt ? [kt] : []), ...memoryLines(k)];
  },
};
