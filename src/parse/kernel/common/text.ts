/** Text pieces several kinds' details share: kernel, zones, Mem-Info, stacks. */
import type { KernelInfo } from '../../../model/common.js';
import type { MemInfoReport, StackFrame, ZoneInfo } from '../../../model/kernel-incidents.js';
import { formatKb, pagesToKb } from '../../../model/units.js';

export function kernelText(k: KernelInfo | null): string | null {
  if (!k || k.version == null) return null;
  return `kernel ${k.version}, ${k.taint ? `tainted ${k.taint}` : 'not tainted'}`;
}

export function zoneText(z: ZoneInfo): string {
  const mark = z.belowMin ? ' BELOW MIN' : '';
  const largest = z.buddy?.largestFreeOrder;
  return `node ${z.node} ${z.zone}: free ${z.freeKb ?? '?'} kB, min ${z.minKb ?? '?'} / low ${z.lowKb ?? '?'} / high ${z.highKb ?? '?'} kB${mark}` +
    (largest != null ? `; largest free block order ${largest}` : '');
}

/** The biggest Mem-Info counters, in the report's own page size. */
export function memText(memInfo: Record<string, number> | null, r: MemInfoReport): string {
  if (!memInfo) return '';
  const keys = ['activeAnonPages', 'inactiveAnonPages', 'activeFilePages', 'inactiveFilePages', 'shmemPages',
    'slabReclaimablePages', 'slabUnreclaimablePages', 'pagetablesPages', 'freePages'];
  return keys.filter((k) => memInfo[k] != null)
    .map((k) => {
      // Without a known page size the counter stays in pages rather than guessing a unit.
      const kb = pagesToKb(memInfo[k], r.pageSizeKb);
      return `${k.replace(/Pages$/, '')} ${kb == null ? `${memInfo[k]} pages` : formatKb(kb)}`;
    })
    .join(', ');
}

/** Zones and Mem-Info of a report that printed them. */
export function memoryLines(inc: { zones: ZoneInfo[]; memInfo: Record<string, number> | null; memInfoReport: MemInfoReport | null }): string[] {
  const out = inc.zones.map(zoneText);
  if (inc.memInfoReport) out.push(`memory: ${memText(inc.memInfo, inc.memInfoReport)}`);
  return out;
}

export function stackLines(kernel: KernelInfo | null, callTrace: readonly StackFrame[]): string[] {
  const out: string[] = [];
  const kt = kernelText(kernel);
  if (kt) out.push(kt);
  const frames = callTrace.filter((f) => !f.unreliable).slice(0, 8);
  if (frames.length) out.push(`stack: ${frames.map((f) => f.fn + (f.module ? ` [${f.module}]` : '')).join(' < ')}`);
  return out;
}
