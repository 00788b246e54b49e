import type { HungTaskIncident } from '../../../model/kernel-incidents.js';
import type { KernelLine } from '../../types.js';
import { baseOf } from '../common/block-base.js';
import { TraceBuilder } from '../common/call-trace.js';
import { NO_KERNEL, parseTaintLine } from '../common/cpu-line.js';

// "INFO: task lotus-seal-work:2651 blocked for more than 120 seconds."
const HEAD_RE = /INFO: task (.*):(\d+) blocked for more than (\d+) seconds/;
// 4.x: "lotus-seal-work D    0  2651      1 0x00000000"; 5.x+: "task:stat   state:D stack:0 pid:3456 …"
const STATE_OLD_RE = /^\s*(\S.*?)\s+([DRSTIZXW])\s+\d+\s+(\d+)\s+\d+\s+0x/;
const STATE_NEW_RE = /^\s*task:(.*?)\s+state:(\w)/;

export function parseHungTask(lines: readonly KernelLine[]): HungTaskIncident {
  const h = HEAD_RE.exec(lines[0].msg);
  const base = baseOf('hung_task', lines); // named fields, not a spread: see oom/report.ts
  const inc: HungTaskIncident = {
    kind: base.kind, input: base.input, line: base.line, endLine: base.endLine, time: base.time, timeText: base.timeText, uptimeSec: base.uptimeSec, partial: base.partial,
    comm: h ? h[1] : '', pid: h ? Number(h[2]) : 0, seconds: h ? Number(h[3]) : 0,
    state: null, kernel: { ...NO_KERNEL }, callTrace: [],
  };
  const trace = new TraceBuilder();
  for (const l of lines.slice(1)) {
    const k = parseTaintLine(l.msg);
    if (k) { inc.kernel = k; continue; }
    const s = STATE_NEW_RE.exec(l.msg) ?? STATE_OLD_RE.exec(l.msg);
    if (s && inc.state == null) { inc.state = s[2]; continue; }
    trace.add(l.msg, l.line);
  }
  inc.callTrace = trace.finish();
  return inc;
}
