import type { RcuStallIncident } from '../../../model/kernel-incidents.js';
import type { KernelLine } from '../../types.js';
import { baseOf } from '../common/block-base.js';
import { TraceBuilder } from '../common/call-trace.js';
import { parseCpuLine } from '../common/cpu-line.js';

// "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:" then "rcu: \t3-...!: (1 GPs behind) …"
// or "INFO: rcu_sched self-detected stall on CPU" then "\t3-...: (5249 ticks this GP) …"
const FLAVOR_RE = /(rcu_\w+) (?:self-)?detected (expedited )?stall/;
// Expedited stalls list the CPUs inline: "{ 0-.... 3-...D }"
const EXP_CPUS_RE = /detected expedited stalls on CPUs\/tasks: \{([^}]*)\}/;
const CPU_ENTRY_RE = /^\s*(?:rcu:\s*)?(\d+)-[.\w!]+:\s*\(/;

export function parseRcuStall(lines: readonly KernelLine[]): RcuStallIncident {
  const f = FLAVOR_RE.exec(lines[0].msg);
  const base = baseOf('rcu_stall', lines); // named fields, not a spread: see oom/report.ts
  const inc: RcuStallIncident = { kind: base.kind, input: base.input, line: base.line, endLine: base.endLine, time: base.time, timeText: base.timeText, uptimeSec: base.uptimeSec, partial: base.partial, flavor: f ? f[1] : null, expedited: f?.[2] != null, cpus: [], kernel: { version: null, taint: null }, callTrace: [] };
  const exp = EXP_CPUS_RE.exec(lines[0].msg);
  if (exp) for (const c of exp[1].matchAll(/(?:^|\s)(\d+)-/g)) inc.cpus.push(Number(c[1]));
  const trace = new TraceBuilder();
  for (const l of lines) {
    const c = CPU_ENTRY_RE.exec(l.msg);
    if (c && !inc.cpus.includes(Number(c[1]))) { inc.cpus.push(Number(c[1])); continue; }
    const cpu = parseCpuLine(l.msg);
    if (cpu) { inc.kernel = cpu.kernel; continue; }
    trace.add(l.msg, l.line);
  }
  inc.callTrace = trace.finish();
  return inc;
}
