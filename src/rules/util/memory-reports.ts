import type { Incident } from '../../model/incident.js';
import type { ZoneInfo } from '../../model/kernel-incidents.js';

/** What was asked of the allocator, when the report says. */
export interface AllocRequest {
  comm: string | null;
  pid: number | null;
  order: number | null;
  gfpMask: string | null;
  gfpFlags: string[] | null;
}

/** An incident that printed per-zone free memory: an OOM report, an allocation failure, a show_mem dump. */
export interface MemoryReport {
  index: number;
  incident: Incident;
  /** "OOM kill", "page allocation failure", "memory dump (sysrq m)". */
  what: string;
  zones: ZoneInfo[];
  pageSizeKb: number | null;
  /** Null for a show_mem dump, which no allocation asked for. */
  request: AllocRequest | null;
}

/** Every incident with zone lines, in order; incidents without them are left out. */
export function memoryReports(incidents: readonly Incident[]): MemoryReport[] {
  const out: MemoryReport[] = [];
  incidents.forEach((inc, index) => {
    if (inc.kind === 'oom_kill') {
      if (inc.zones.length === 0) return;
      const t = inc.trigger;
      out.push({
        index, incident: inc, what: 'OOM kill', zones: inc.zones,
        pageSizeKb: inc.pageSizeKb ?? inc.memInfoReport?.pageSizeKb ?? null,
        request: { comm: t.comm, pid: t.pid, order: t.order, gfpMask: t.gfpMask, gfpFlags: t.gfpFlags },
      });
    } else if (inc.kind === 'page_alloc_failure') {
      if (inc.zones.length === 0) return;
      out.push({
        index, incident: inc, what: inc.variant, zones: inc.zones,
        pageSizeKb: inc.memInfoReport?.pageSizeKb ?? null,
        request: { comm: inc.comm, pid: inc.pid, order: inc.order, gfpMask: inc.gfpMask, gfpFlags: inc.gfpFlags },
      });
    } else if (inc.kind === 'sysrq_show_mem' || inc.kind === 'show_mem') {
      if (inc.zones.length === 0) return;
      out.push({
        index, incident: inc, what: `memory dump (${inc.command})`, zones: inc.zones,
        pageSizeKb: inc.memInfoReport?.pageSizeKb ?? null, request: null,
      });
    }
  });
  return out;
}

/** "order-2 GFP_KERNEL|__GFP_NORETRY|__GFP_COMP request by worker-thread-2 (pid 56407)". */
export function describeRequest(r: AllocRequest): string {
  const order = r.order == null ? 'request of unknown order' : `order-${r.order} request`;
  const flags = r.gfpFlags?.length ? ` (${r.gfpFlags.join('|')})` : r.gfpMask ? ` (gfp ${r.gfpMask})` : '';
  const who = r.comm ? ` by ${r.comm}${r.pid != null ? ` (pid ${r.pid})` : ''}` : '';
  return `${order}${flags}${who}`;
}

/** Size of one block of an order, in kB: 2^order pages. */
export function blockKb(order: number, pageSizeKb: number): number {
  return (2 ** order) * pageSizeKb;
}
