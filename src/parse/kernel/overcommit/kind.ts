/**
 * The commit accounting's refusal: __vm_enough_memory() said no to a mapping, brk or fork, and the
 * program got ENOMEM. Nothing is killed and no report follows; this one rate-limited line is all
 * the kernel prints. It is spelled three ways (mm/util.c):
 *   6.1:       "__vm_enough_memory: pid: 94, comm: ocmap, no enough memory for the allocation"
 *   later:     "…, comm: X, not enough memory for the allocation" (mainline by early 2024, read in the
 *              source; no fixture, no release pinned down)
 *   6.9+:      "…, comm: ocmap, bytes: 314572800 not enough memory for the allocation" (a 2024 patch;
 *              Debian's 6.12 prints it)
 * Kernels before 6.1 (5.10 under qemu) refuse silently. The line is printed in any overcommit mode
 * but 1: under vm.overcommit_memory=2 when the commit would pass CommitLimit, and under the default
 * heuristic mode 0 only for a single request larger than RAM + swap (rules/strict-overcommit.ts).
 */
import type { IncidentBase } from '../../../model/kernel-incidents.js';
import { formatKb } from '../../../model/units.js';
import type { KernelLine } from '../../types.js';
import { baseOf } from '../common/block-base.js';
import type { KernelKind } from '../kind.js';

export interface OvercommitRefusalIncident extends IncidentBase {
  kind: 'overcommit_refusal';
  /** The task that asked (its thread's pid and comm: a JVM's "VM Thread"). */
  pid: number;
  comm: string;
  /** The request refused, in bytes, as 6.9+ print it; null on older kernels, which do not say. */
  sizeBytes: number | null;
  /**
   * Refusals the kernel did not print before this one: the line is rate-limited (10 per 5 s), and
   * the next one printed after a burst comes right after "__vm_enough_memory: N callbacks
   * suppressed". Absent when no such line precedes it.
   */
  suppressedBefore?: number;
}

// comm may hold spaces and commas ("VM Thread"): it runs to the last ", " before the tail.
const LINE_RE = /__vm_enough_memory: pid: (\d+), comm: (.*), (?:bytes: (\d+) )?not? enough memory for the allocation/;
// The head alone starts the report: a mail client may wrap the line (its rest comes as a bare line,
// which kernel-log.ts joins back on), a paste may cut it.
const HEAD_RE = /__vm_enough_memory: pid: \d+, comm: /;
// A cut line: comm up to the first ", ", a size only when a space shows the number is whole.
const CUT_RE = /__vm_enough_memory: pid: (\d+), comm: ([^,]*)(?:, bytes: (\d+) )?/;
const TAIL_RE = /enough memory for the allocation\s*$/;
// printk_ratelimit's notice, printed by the call that prints the next refusal, right before it.
const SUPPRESSED_RE = /__vm_enough_memory: (\d+) callbacks suppressed/;

function readRefusal(lines: readonly KernelLine[]): OvercommitRefusalIncident[] {
  const head = lines[lines.length - 1].msg;
  const whole = LINE_RE.exec(head);
  const m = whole ?? CUT_RE.exec(head);
  if (!m) return [];
  const suppressed = lines.length > 1 ? SUPPRESSED_RE.exec(lines[0].msg) : null;
  const base = baseOf('overcommit_refusal', lines); // named fields, not a spread (one V8 shape per kind)
  const inc: OvercommitRefusalIncident = {
    kind: base.kind, input: base.input, line: base.line, endLine: base.endLine, time: base.time, timeText: base.timeText, uptimeSec: base.uptimeSec, partial: whole == null,
    pid: Number(m[1]), comm: m[2], sizeBytes: m[3] != null ? Number(m[3]) : null,
  };
  if (suppressed) inc.suppressedBefore = Number(suppressed[1]);
  return [inc];
}

const size = (k: OvercommitRefusalIncident): string => k.sizeBytes != null ? formatKb(Math.round(k.sizeBytes / 1024)) : 'a size the line does not give (kernels before 6.9)';

export const overcommit: KernelKind<OvercommitRefusalIncident, 'overcommit'> = {
  id: 'overcommit',
  incidentKinds: ['overcommit_refusal'],
  markers: ['__vm_enough_memory'],
  scanNeedles: [{ text: '__vm_enough_memory', at: 0 }],
  start: HEAD_RE,
  tolerance: 0,
  belongs: () => false,
  // One line: the report ends where it starts.
  endsHere: () => true,
  // Once it has its fixed tail the line is whole: the program's "Cannot allocate memory" line that
  // often follows is its own line, not this one's wrapped rest.
  endsWhole: (msg) => TAIL_RE.test(msg),
  // The rate limit's notice before it is part of its report (taken back when the refusal opens).
  leading: { lines: SUPPRESSED_RE, unless: /(?!)/ },
  identity: (k) => JSON.stringify([k.pid, k.comm, k.sizeBytes]),
  read: readRefusal,
  summary: (k) => `allocation refused by the kernel's commit accounting: ${k.comm} (pid ${k.pid}) asked for ${size(k)}${k.suppressedBefore ? ` (${k.suppressedBefore} refusals before it not printed)` : ''}`,
  details: (k) => [
    ...(k.suppressedBefore != null ? [`${k.suppressedBefore} refusals before it were not printed (rate limit: "callbacks suppressed")`] : []),
    `__vm_enough_memory refused ${k.sizeBytes != null ? `${k.sizeBytes} bytes` : 'the request'} to ${k.comm} pid ${k.pid}: the program got ENOMEM, nothing was killed (mode 2: past CommitLimit; mode 0: larger than RAM + swap)`,
  ],
};
