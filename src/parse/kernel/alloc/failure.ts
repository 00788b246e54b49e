import type { PageAllocFailureIncident } from '../../../model/kernel-incidents.js';
import type { KernelLine } from '../../types.js';
import { baseOf } from '../common/block-base.js';
import { TraceBuilder } from '../common/call-trace.js';
import { NO_KERNEL, parseCpuLine } from '../common/cpu-line.js';
import { decodeGfp } from '../common/gfp/index.js';
import { MemInfoBuilder } from '../common/mem-info.js';

// 4.x+: "worker-thread-2: page allocation failure: order:2, mode:0x14050c0(GFP_KERNEL|__GFP_NORETRY|__GFP_COMP), nodemask=0"
// 5.x:  "kworker/u8:2: page allocation failure: order:0, mode:0xa20(GFP_ATOMIC), nodemask=(null),cpuset=/,mems_allowed=0"
// 2.6:  "swapper: page allocation failure. order:1, mode:0x20"
// also: "vmemmap alloc failure: order:9, mode:0x…"
const HEAD_RE = /^\s*(?:(.*?): )?(page allocation failure|vmemmap alloc failure)[:.] order:(\d+), mode:(0x[0-9a-f]+)(?:\(([^)]*)\))?(?:, nodemask=([^,\s]*))?/;

// vmalloc failures print the same warn_alloc() report (CPU line, trace, Mem-Info) under their own head:
// 5.13+: "insmod: vmalloc error: size 2147483648, exceeds total pages, mode:0xcc0(GFP_KERNEL), nodemask=(null),cpuset=/,mems_allowed=0"
//        (also "…, page order 0, failed to allocate pages", "…, vm_struct allocation failed", "…, failed to map pages")
// 4.x-5.12: "vmalloc: allocation failure: 8192 bytes, mode:…", "vmalloc: allocation failure, allocated 4096 of 8192 bytes, mode:…",
//        "vmalloc size 8192 allocation failure: exceeds total pages, mode:…"
const VMALLOC_RE = /^\s*(?:(.*?): )?(vmalloc error: size (\d+), |vmalloc: allocation failure[:,] |vmalloc size (\d+) allocation failure: )(.*?)(?:,? mode:(0x[0-9a-f]+)(?:\(([^)]*)\))?(?:, nodemask=([^,\s]*))?.*)?$/;

function readVmalloc(inc: PageAllocFailureIncident, m: RegExpExecArray): void {
  inc.comm = m[1] ?? null;
  inc.variant = m[2].startsWith('vmalloc error') ? 'vmalloc error' : 'vmalloc allocation failure';
  const what = m[5] ?? '';
  const bytes = m[3] ?? m[4] ?? /(?:^|of )(\d+) bytes/.exec(what)?.[1];
  inc.sizeBytes = bytes != null ? Number(bytes) : null;
  inc.reason = what.replace(/^\d+ bytes$/, '').trim() || null;
  // vmalloc asks for single pages (order 0) unless the head names another order.
  const order = /page order (\d+)/.exec(what);
  inc.order = order ? Number(order[1]) : null;
  inc.gfpMask = m[6] ?? null;
  inc.gfpFlags = m[7] ? m[7].split('|') : null;
  inc.nodemask = m[8] ?? null;
}

export function parseAllocFailure(lines: readonly KernelLine[]): PageAllocFailureIncident {
  const base = baseOf('page_alloc_failure', lines); // named fields, not a spread: see oom/report.ts
  const inc: PageAllocFailureIncident = {
    kind: base.kind, input: base.input, line: base.line, endLine: base.endLine, time: base.time, timeText: base.timeText, uptimeSec: base.uptimeSec, partial: base.partial,
    comm: null, pid: null, order: null, gfpMask: null, gfpFlags: null, nodemask: null, variant: 'page allocation failure',
    kernel: { ...NO_KERNEL }, callTrace: [], memInfo: null, memInfoReport: null, zones: [], memInfoLine: null,
  };
  const trace = new TraceBuilder();
  const mem = new MemInfoBuilder(lines[0].line);
  for (const l of lines) {
    const v = inc.variant.startsWith('vmalloc') ? null : VMALLOC_RE.exec(l.msg);
    if (v && inc.gfpMask == null) { readVmalloc(inc, v); continue; }
    const m = HEAD_RE.exec(l.msg);
    if (m && inc.order == null && !inc.variant.startsWith('vmalloc')) {
      inc.comm = m[1] ?? null;
      inc.variant = m[2];
      inc.order = Number(m[3]);
      inc.gfpMask = m[4];
      inc.gfpFlags = m[5] ? m[5].split('|') : null;
      inc.nodemask = m[6] ?? null;
      continue;
    }
    const cpu = parseCpuLine(l.msg);
    if (cpu) { inc.kernel = cpu.kernel; inc.pid = cpu.pid; inc.comm ??= cpu.comm; continue; }
    if (trace.add(l.msg, l.line)) continue;
    if (mem.add(l.msg, l.line) && inc.memInfoLine == null && /Mem-Info:/.test(l.msg)) inc.memInfoLine = l.line;
  }
  inc.callTrace = trace.finish();
  // Kernels before 4.6 print the mode bare: names from the gfp table of the version on the CPU line.
  if (inc.gfpFlags == null && inc.gfpMask) {
    inc.gfpFlags = decodeGfp(inc.gfpMask, inc.kernel.version);
    if (inc.gfpFlags) inc.gfpFlagsDecoded = true;
  }
  if (mem.hasContent()) attachMemInfo(inc, { memInfoReport: mem.report, memInfo: mem.memInfo, zones: mem.zones });
  return inc;
}

/** A Mem-Info section read apart from its failure (its own block, or after the call trace). */
export interface MemInfoParts {
  memInfoReport: NonNullable<PageAllocFailureIncident['memInfoReport']>;
  memInfo: Record<string, number> | null;
  zones: PageAllocFailureIncident['zones'];
}

export function attachMemInfo(inc: PageAllocFailureIncident, parts: MemInfoParts): void {
  inc.memInfoReport = parts.memInfoReport;
  inc.memInfo = parts.memInfo;
  inc.zones = parts.zones;
  inc.memInfoLine ??= parts.memInfoReport.line;
}
