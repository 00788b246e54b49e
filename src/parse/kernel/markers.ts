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

/**
 * What the fast reader's byte scan (read/marker-scan.ts) looks for: a literal every line that
 * starts a report (a kind's `start`, or the oom_reaper line) must contain, each at least 7 bytes
 * so that the scan can look at one aligned 4-byte word in 4 (any 7 bytes hold an aligned word).
 * Taken from the `start` patterns, not from MARKERS: MARKERS' "BUG", "Oops" and "stall" are too
 * short and "stall" is in "installed"; the patterns need "BUG at ", "Oops - " or "Internal error:
 * Oops", "detected stall" or "detected expedited stall", and "BUG: " or "Oops: " at the start of
 * the message, which the scan cannot see in 5 or 6 bytes: SCAN_MESSAGE_STARTS. The sysrq pattern
 * ignores case, so its literal is matched ignoring case too. A line that holds none of these
 * starts no report (startKind gives null), so the fast reader may count it unread;
 * test/parse/kernel/scan-needles.test.ts checks every report-starting line of every fixture
 * holds one.
 */
export interface ScanNeedle {
  text: string;
  anyCase?: true;
  /**
   * Where the scan's four 4-byte windows (at … at + 3) start: chosen around the 4-grams rarest in
   * the fixtures' real logs (reports included). "kern" or "lock" would send the scan to a
   * byte-by-byte check on almost every line. at + 7 ≤ the needle's length.
   */
  at: number;
}

export const SCAN_NEEDLES: readonly ScanNeedle[] = [
  // kinds that bring their own (KernelKind.scanNeedles: a new kind, in its folder)
  ...KERNEL_KINDS.flatMap((k) => k.scanNeedles ?? []),
  // oom/kind.ts
  { text: 'invoked oom-killer', at: 5 }, { text: 'oom-kill:', at: 0 }, { text: 'Out of memory', at: 0 }, { text: 'Memory cgroup out of memory', at: 11 }, { text: 'Killed process', at: 4 },
  // alloc/kind.ts
  { text: 'page allocation failure', at: 16 }, { text: 'vmemmap alloc failure', at: 11 }, { text: 'vmalloc error', at: 5 }, { text: 'vmalloc: allocation failure', at: 5 }, { text: 'vmalloc size', at: 5 },
  // hung, lockup, rcu, panic (each folder's kind.ts)
  { text: 'blocked for more than', at: 10 }, { text: 'soft lockup', at: 2 }, { text: 'detected stall', at: 0 }, { text: 'detected expedited stall', at: 6 }, { text: 'Kernel panic', at: 5 },
  // error/kind.ts ("BUG: " and "Oops: " are SCAN_MESSAGE_STARTS)
  { text: 'cut here', at: 0 }, { text: 'WARNING: ', at: 2 }, { text: 'BUG at ', at: 0 }, { text: 'Oops - ', at: 0 }, { text: 'Internal error: Oops', at: 13 },
  { text: 'general protection fault', at: 3 }, { text: 'Unable to handle kernel', at: 7 },
  // sysrq/kind.ts (its pattern has the i flag; 2.6.x–3.x print "SysRq : " with no "sysrq: "), show-mem/kind.ts, the oom_reaper line
  { text: 'sysrq: ', anyCase: true, at: 0 }, { text: 'SysRq : ', anyCase: true, at: 0 }, { text: 'Mem-Info:', at: 0 }, { text: 'show_mem:', at: 2 }, { text: 'oom_reaper', at: 3 },
];

/**
 * The error kind's short starts (error/kind.ts: `^\s*(?:kernel )?BUG: `, `^\s*Oops: `), which
 * only count at the start of a message (after spaces): the fast reader's classifier checks them
 * there (read/line-class.ts) instead of the byte scan, for which they are too short.
 */
export const SCAN_MESSAGE_STARTS: readonly string[] = ['BUG: ', 'kernel BUG: ', 'Oops: '];

const START: [BlockKind, RegExp][] = [
  ...KERNEL_KINDS.map((k): [BlockKind, RegExp] => [k.id, k.start]),
  ['reaper', /^\s*oom_reaper: reaped process/],
];

/** Any of MARKERS as one pattern of literals: a regex test is ~4× cheaper than one includes() each. */
const ANY_MARKER = new RegExp(MARKERS.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));

/** Cheap test first: no marker, no report. */
export function hasMarker(msg: string): boolean {
  return ANY_MARKER.test(msg);
}

export function startKind(msg: string): BlockKind | null {
  if (!hasMarker(msg)) return null;
  for (const [kind, re] of START) if (re.test(msg)) return kind;
  return null;
}
