import type { SysrqIncident, TaskStack } from '../../../model/kernel-incidents.js';
import type { KernelLine } from '../../types.js';
import { baseOf } from '../common/block-base.js';
import { TraceBuilder } from '../common/call-trace.js';
import { parseCpuLine } from '../common/cpu-line.js';
import { MemInfoBuilder } from '../common/mem-info.js';

// "SysRq : Show Memory" (2.6.x–3.x: printk, no prefix), "sysrq: SysRq : Show Blocked State"
// (4.x: pr_info under pr_fmt "sysrq: "), "sysrq: Show Blocked State" (5.x+)
const HEAD_RE = /(?:sysrq: (?:SysRq : )?|^\s*SysRq : )(.*?)\s*$/i;
const KINDS: [RegExp, SysrqIncident['kind']][] = [
  [/backtrace of all active CPUs/i, 'sysrq_backtrace'],
  [/Blocked State/i, 'sysrq_blocked'],
  [/Show Memory/i, 'sysrq_show_mem'],
  [/Show State/i, 'sysrq_show_state'],
];
// 4.x: "logd            D    0   493      1 0x00000000"; 5.x+: "task:stat  state:D stack:0 pid:3456 …"
const TASK_OLD_RE = /^\s*(\S.*?)\s+([DRSTIZXWP])\s+\S+\s+(\d+)\s+\d+\s+0x[0-9a-f]+\s*$/;
const TASK_NEW_RE = /^\s*task:(.*?)\s+state:(\w)\s.*?\bpid:\s*(\d+)/;
// x86: "NMI backtrace for cpu 1" (", skipped: idling at native_safe_halt+0xb/0x10" for an idle CPU);
// arm64 6.x: "sysrq: CPU1:" (": backtrace skipped as idling")
const NMI_RE = /NMI backtrace for cpu (\d+)|sysrq: CPU(\d+):/;
const IDLE_RE = /skipped(?::|\s+as)\s+idling(?: at ([A-Za-z_.$][\w.$]*))?/;
const PC_RE = /^\s*(?:PC is at |RIP: [0-9a-f]{4}:)([A-Za-z_.$][\w.$]*)\+0x/;

export function sysrqKind(lines: readonly KernelLine[]): SysrqIncident['kind'] | null {
  const h = HEAD_RE.exec(lines[0].msg);
  if (!h) return null;
  for (const [re, kind] of KINDS) if (re.test(h[1])) return kind;
  return null;
}

/** A sysrq l/w/t/m dump. Returns null for other sysrq commands (nothing to diagnose in them). */
export function parseSysrq(lines: readonly KernelLine[]): SysrqIncident | null {
  const kind = sysrqKind(lines);
  if (!kind) return null;
  const base = baseOf(kind, lines); // named fields, not a spread: see oom/report.ts
  const inc: SysrqIncident = {
    kind: base.kind, input: base.input, line: base.line, endLine: base.endLine, time: base.time, timeText: base.timeText, uptimeSec: base.uptimeSec, partial: base.partial, command: HEAD_RE.exec(lines[0].msg)![1], tasks: [], memInfo: null, memInfoReport: null, zones: [], kernel: null,
  };
  const mem = new MemInfoBuilder(lines[0].line);
  let cur: TaskStack | null = null;
  let trace = new TraceBuilder();
  const close = (): void => { if (cur) { cur.frames = trace.finish(); inc.tasks.push(cur); } cur = null; trace = new TraceBuilder(); };
  for (const l of lines.slice(1)) {
    const msg = l.msg;
    let m: RegExpExecArray | null;
    if ((m = NMI_RE.exec(msg))) {
      close();
      const idle = IDLE_RE.exec(msg);
      cur = { comm: idle ? '(idle)' : '', pid: null, state: idle ? 'I' : 'R', cpu: Number(m[1] ?? m[2]), pc: idle?.[1] ?? null, frames: [], line: l.line };
      continue;
    }
    if ((m = TASK_NEW_RE.exec(msg) ?? TASK_OLD_RE.exec(msg))) { close(); cur = { comm: m[1].trim(), pid: Number(m[3]), state: m[2], cpu: null, pc: null, frames: [], line: l.line }; continue; }
    const cpu = parseCpuLine(msg);
    if (cpu) {
      inc.kernel ??= cpu.kernel;
      if (cur && cur.pid == null) { cur.pid = cpu.pid; cur.comm = cpu.comm; }
      continue;
    }
    if (cur && (m = PC_RE.exec(msg))) { cur.pc ??= m[1]; continue; }
    if (cur && trace.add(msg, l.line)) continue;
    if (kind === 'sysrq_show_mem') mem.add(msg, l.line);
  }
  close();
  if (mem.hasContent()) {
    inc.memInfoReport = mem.report;
    inc.memInfo = mem.memInfo;
    inc.zones = mem.zones;
  }
  return inc;
}
