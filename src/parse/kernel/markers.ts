/**
 * Which kind of report a kernel line starts, if any, from the kinds' own `start` patterns
 * (kinds/). The literal MARKERS are the only strings a line can start a report with; the fast
 * reader uses them as a byte-level pre-filter, so a line holding none of them is never decoded
 * while no report is open. Each kind keeps the two in step: every line its `start` matches holds
 * one of its `markers` (test/parse/kernel/registry.test.ts checks it on every fixture).
 */
import { KERNEL_KINDS } from './registry.js';
import type { BlockKind as KindId } from './kind.js';

/** 'reaper': "oom_reaper: reaped process" lines, which kernel-log.ts gives to the OOM they follow. */
export type BlockKind = KindId | 'reaper';

export const MARKERS: string[] = [...new Set([...KERNEL_KINDS.flatMap((k) => k.markers), 'oom_reaper'])];

const START: [BlockKind, RegExp][] = [
  ...KERNEL_KINDS.map((k): [BlockKind, RegExp] => [k.id, k.start]),
  ['reaper', /^\s*oom_reaper: reaped process/],
];

/** Cheap test first: no marker, no report. */
export function hasMarker(msg: string): boolean {
  for (const m of MARKERS) if (msg.includes(m)) return true;
  return false;
}

export function startKind(msg: string): BlockKind | null {
  if (!hasMarker(msg)) return null;
  for (const [kind, re] of START) if (re.test(msg)) return kind;
  return null;
}
