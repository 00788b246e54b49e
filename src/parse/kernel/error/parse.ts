import type { KernelErrorIncident } from '../../../model/kernel-incidents.js';
import type { KernelLine } from '../../types.js';
import { baseOf } from '../common/block-base.js';
import { TraceBuilder } from '../common/call-trace.js';
import { NO_KERNEL, parseCpuLine } from '../common/cpu-line.js';

// "WARNING: CPU: 42 PID: 7755 at /build/…/kernel/time/timer.c:898 mod_timer+0x3d8/0x3f0"
// 3.x:  "WARNING: at kernel/time/timer.c:898 mod_timer+0x3d8/0x3f0()"
const WARN_RE = /WARNING: (?:CPU: \d+ PID: \d+ )?at (\S+?:\d+) ([\w.$]+)\+0x/;
const BUG_RE = /^\s*(?:kernel )?BUG(?: at |: )(.*)$/;
const OOPS_RE = /Oops(?:: | - )|Internal error: Oops|general protection fault|Unable to handle kernel/;
const PANIC_RE = /Kernel panic - not syncing: ?(.*)$/;
// arm64 "pc : mt9_init+0x120/0x1000 [mt9]"; "RIP: 0010:mod_timer+0x3d8/0x3f0", old "RIP: 0010:[<ffffffff8103d6d8>]  [<…>] fn+0x6/0x10", arm "PC is at fn+0x94/0xc18"
const FN_RE = /^\s*(?:RIP: [0-9a-f]{4}:(?:\[<[0-9a-f]+>\]\s+\[<[0-9a-f]+>\]\s+)?|PC is at |pc : (?:\[<[0-9a-f]+>\]\s+)?|EIP: (?:[0-9a-f]{4}:)?(?:\[<[0-9a-f]+>\]\s+)?)([A-Za-z_.$][\w.$]*)\+0x/;
const MODULE_TOKEN_RE = /^([\w-]+)(?:\(([A-Z+-]+)\))?$/;

function readModules(text: string): { name: string; flags: string | null }[] {
  const out: { name: string; flags: string | null }[] = [];
  for (const tok of text.trim().split(/\s+/)) {
    const m = MODULE_TOKEN_RE.exec(tok);
    if (m) out.push({ name: m[1], flags: m[2] ?? null });
  }
  return out;
}

/** A WARNING/BUG/Oops block (from "cut here" to "end trace"), or a panic line and what follows. */
export function parseKernelError(lines: readonly KernelLine[]): KernelErrorIncident {
  const base = baseOf('bug', lines); // named fields, not a spread: see oom/report.ts
  const inc: KernelErrorIncident = {
    kind: base.kind, input: base.input, line: base.line, endLine: base.endLine, time: base.time, timeText: base.timeText, uptimeSec: base.uptimeSec, partial: base.partial, message: '', location: null, function: null, comm: null, pid: null,
    kernel: { ...NO_KERNEL }, modules: null, callTrace: [], irqFrames: 0,
  };
  const trace = new TraceBuilder();
  let inModules = false;
  let inIrq = false;
  let kind: KernelErrorIncident['kind'] | null = null;
  for (const l of lines) {
    const msg = l.msg;
    let m: RegExpExecArray | null;
    if (/-+\[ cut here \]-+/.test(msg)) continue;
    if ((m = PANIC_RE.exec(msg)) && kind == null) { kind = 'panic'; inc.message = msg.trim(); continue; }
    if ((m = WARN_RE.exec(msg)) || /^\s*WARNING: /.test(msg)) {
      if (kind == null) { kind = 'warning'; inc.message = msg.trim(); }
      if (m) { inc.location = m[1]; inc.function = m[2]; }
      continue;
    }
    // arm/arm64 BUG() dies with "Internal error: Oops - BUG: 00000000f2000800 [#1] SMP" after
    // "kernel BUG at file:line!": a BUG, like x86's "invalid opcode" after the same line.
    if (/Oops - BUG\b/.test(msg)) { if (kind == null) { kind = 'bug'; inc.message = msg.trim(); } continue; }
    if (OOPS_RE.test(msg)) { if (kind !== 'warning' && kind !== 'panic') { if (!inc.message) inc.message = msg.trim(); kind = 'oops'; } continue; }
    if ((m = BUG_RE.exec(msg))) {
      if (kind == null) { kind = 'bug'; inc.message = msg.trim(); }
      const at = /^\s*kernel BUG at (\S+?:\d+)!/.exec(msg);
      if (at) inc.location ??= at[1];
      continue;
    }
    if ((m = /^\s*Modules linked in:(.*)$/.exec(msg))) { inc.modules = readModules(m[1]); inModules = true; continue; }
    if (inModules && /^\s+[\w-]+(?:\([A-Z+-]+\))?(?:\s+[\w-]+(?:\([A-Z+-]+\))?)*\s*$/.test(msg)) { inc.modules!.push(...readModules(msg)); continue; }
    inModules = false;
    const cpu = parseCpuLine(msg);
    if (cpu) { inc.kernel = cpu.kernel; inc.pid = cpu.pid; inc.comm = cpu.comm; continue; }
    if ((m = FN_RE.exec(msg))) { inc.function ??= m[1]; continue; }
    if (/^\s*<IRQ>\s*$/.test(msg)) { inIrq = true; continue; }
    if (/^\s*<\/IRQ>\s*$/.test(msg)) { inIrq = false; continue; }
    if (trace.add(msg, l.line) && inIrq) inc.irqFrames++;
  }
  inc.kind = kind ?? 'bug';
  // A lone "cut here" (the input ends, or the report after it was lost): say so, keep the line.
  if (!inc.message) { inc.message = lines[0].msg.trim(); inc.partial = true; }
  inc.callTrace = trace.finish();
  return inc;
}
