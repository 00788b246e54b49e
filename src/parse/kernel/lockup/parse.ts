import type { SoftLockupIncident } from '../../../model/kernel-incidents.js';
import type { KernelLine } from '../../types.js';
import { baseOf } from '../common/block-base.js';
import { TraceBuilder } from '../common/call-trace.js';
import { NO_KERNEL, parseCpuLine } from '../common/cpu-line.js';

// "watchdog: BUG: soft lockup - CPU#3 stuck for 22s! [kworker/3:1:123]" — the comm may hold
// colons itself, so the pid is what follows the last one.
const HEAD_RE = /BUG: soft lockup - CPU#(\d+) stuck for (\d+)s! \[(.*):(\d+)\]/;

export function parseSoftLockup(lines: readonly KernelLine[]): SoftLockupIncident {
  const h = HEAD_RE.exec(lines[0].msg);
  const base = baseOf('soft_lockup', lines); // named fields, not a spread: see oom/report.ts
  const inc: SoftLockupIncident = {
    kind: base.kind, input: base.input, line: base.line, endLine: base.endLine, time: base.time, timeText: base.timeText, uptimeSec: base.uptimeSec, partial: base.partial,
    cpu: h ? Number(h[1]) : -1, seconds: h ? Number(h[2]) : 0, comm: h ? h[3] : '', pid: h ? Number(h[4]) : 0,
    kernel: { ...NO_KERNEL }, callTrace: [],
  };
  const trace = new TraceBuilder();
  for (const l of lines.slice(1)) {
    const cpu = parseCpuLine(l.msg);
    if (cpu) { inc.kernel = cpu.kernel; continue; }
    trace.add(l.msg, l.line);
  }
  inc.callTrace = trace.finish();
  return inc;
}
