/** WARNING, BUG and Oops reports: from "cut here" (or the headline) to "---[ end trace". */
import type { IncidentBase, StackFrame } from '../../../model/kernel-incidents.js';
import type { KernelInfo } from '../../../model/common.js';
import { parseKernelError } from './parse.js';
import { stackLines } from '../common/text.js';
import type { KernelKind } from '../kind.js';

/** WARNING:, BUG:, Oops and Kernel panic reports share one shape. */
export interface KernelErrorIncident extends IncidentBase {
  kind: 'warning' | 'bug' | 'oops' | 'panic';
  message: string;
  /** Source location of a WARNING ("kernel/time/timer.c:898") or null. */
  location: string | null;
  /** Function the error happened in ("mod_timer"), from the WARNING/RIP/PC line, or null. */
  function: string | null;
  comm: string | null;
  pid: number | null;
  kernel: KernelInfo;
  /** Modules linked in, with their taint flags when printed ("nvidia(POE)" → {name, flags:"POE"}). */
  modules: { name: string; flags: string | null }[] | null;
  callTrace: StackFrame[];
  /** Frames printed between <IRQ> and </IRQ>. */
  irqFrames: number;
}

const HEADLINE = /^\s*WARNING: |^\s*(?:kernel )?BUG(?: at |: )/;

export function errorSummary(k: KernelErrorIncident): string {
  return `${k.message.startsWith(k.kind.toUpperCase()) ? '' : `${k.kind}: `}${k.message}${k.comm ? ` [${k.comm} pid ${k.pid}]` : ''}`;
}

/** Copies of one WARNING/BUG/Oops/panic record merge by what it says and who hit it. */
export function errorIdentity(k: KernelErrorIncident): string {
  return JSON.stringify([k.message, k.comm, k.pid, k.location]);
}

export const error: KernelKind<KernelErrorIncident, 'error'> = {
  id: 'error',
  incidentKinds: ['warning', 'bug', 'oops'],
  markers: ['cut here', 'WARNING:', 'BUG', 'Oops', 'general protection fault', 'Unable to handle kernel'],
  // A kernel WARNING says where: "WARNING: CPU: 0 PID: 93 at file:line" (≥3.x), "WARNING: at
  // file:line" (2.6), or is one of lockdep's/the unwinder's headlines. Any other "WARNING: …" is a
  // program's message (dockerd's "WARNING: No swap limit support", a line user space wrote to
  // /dev/kmsg, a boot notice like "WARNING: Spectre v2 mitigation …"), not a kernel report.
  start: /-+\[ cut here \]-+|^\s*WARNING: (?:CPU: \d+ PID: \d+ at |at |possible |suspicious RCU usage|inconsistent lock state|bad unlock balance|held lock freed|lock held |nested lock|bad contention|kernel stack )|^\s*(?:kernel )?BUG(?: at |: )|^\s*Oops(?:: | - )|Internal error: Oops|general protection fault|Unable to handle kernel/,
  tolerance: 2,
  // "cut here", then WARNING:/BUG:, then an Oops line all make one report; a second WARNING or
  // "kernel BUG at" after a headline starts the next one.
  belongs(open, kind, msg) {
    if (kind !== 'error' || /cut here/.test(msg)) return false;
    return !(HEADLINE.test(msg) && open.lines.some((x) => HEADLINE.test(x.msg)));
  },
  endsHere: (msg) => /---\[ end trace/.test(msg),
  identity: errorIdentity,
  read: (lines) => [parseKernelError(lines)],
  summary: errorSummary,
  details: (k) => stackLines(k.kernel, k.callTrace),
};
