import type { PageAllocFailureIncident } from '../../model/kernel-incidents.js';
import type { KernelLine } from '../types.js';
import { baseOf } from './block-base.js';
import { TraceBuilder } from './call-trace.js';
import { NO_KERNEL, parseCpuLine } from './cpu-line.js';
import { decodeGfp } from './gfp/index.js';
import { MemInfoBuilder } from './mem-info.js';

// 4.x+: "worker-thread-2: page allocation failure: order:2, mode:0x14050c0(GFP_KERNEL|__GFP_NORETRY|__GFP_COMP), nodemask=0"
// 5.x:  "kworker/u8:2: page allocation failure: order:0, mode:0xa20(GFP_ATOMIC), nodemask=(null),cpuset=/,mems_allowed=0"
// 2.6:  "swapper: page allocation failure. order:1, mode:0x20"
// also: "vmemmap alloc failure: order:9, mode:0x…"
const HEAD_RE = /^\s*(?:(.*?): )?(page allocation failure|vmemmap alloc failure)[:.] order:(\d+), mode:(0x[0-9a-f]+)(?:\(([^)]*)\))?(?:, nodemask=([^,\s]*))?/;

export function parseAllocFailure(lines: readonly KernelLine[]): PageAllocFailureIncident {
  const inc: PageAllocFailureIncident = {
    ...baseOf('page_alloc_failure', lines),
    comm: null, pid: null, order: null, gfpMask: null, gfpFlags: null, nodemask: null, variant: 'page allocation failure',
    kernel: { ...NO_KERNEL }, callTrace: [], memInfo: null, memInfoReport: null, zones: [], memInfoLine: null,
  };
  const trace = new TraceBuilder();
  const mem = new MemInfoBuilder(lines[0].line);
  for (const l of lines) {
    const m = HEAD_RE.exec(l.msg);
    if (m && inc.order == null) {
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
  if (mem.hasContent()) attachMemInfo(inc, mem.report);
  return inc;
}

export function attachMemInfo(inc: PageAllocFailureIncident, report: NonNullable<PageAllocFailureIncident['memInfoReport']>): void {
  inc.memInfoReport = report;
  inc.memInfo = report.memInfo;
  inc.zones = report.zones;
  inc.memInfoLine ??= report.line;
}
