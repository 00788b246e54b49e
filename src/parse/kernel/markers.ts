/**
 * Which kind of report a kernel line starts, if any. The literal MARKERS are the only strings a
 * line can start a report with; the fast reader uses them as a byte-level pre-filter, so a line
 * holding none of them is never decoded while no report is open. Keep the two in step: every
 * START pattern must require one of the MARKERS.
 */
export type BlockKind = 'oom' | 'alloc' | 'hung' | 'lockup' | 'rcu' | 'error' | 'panic' | 'sysrq' | 'showmem' | 'reaper';

export const MARKERS: string[] = [
  'invoked oom-killer', 'oom-kill:', 'Out of memory', 'Killed process', 'Memory cgroup out of memory',
  'page allocation failure', 'vmemmap alloc failure', 'vmalloc error', 'vmalloc: allocation failure', 'vmalloc size', 'blocked for more than', 'soft lockup',
  'stall', 'cut here', 'WARNING:', 'BUG', 'Oops', 'Kernel panic', 'general protection fault',
  'Unable to handle kernel', 'sysrq:', 'SysRq', 'Mem-Info:', 'oom_reaper', 'show_mem',
];

const START: [BlockKind, RegExp][] = [
  ['oom', /invoked oom-killer:|^\s*oom-kill:constraint=|^\s*(?:Out of memory(?: \([^)]*\))?|Memory cgroup out of memory): (?:[Kk]ill process|Killed process)|^\s*Killed process \d+/],
  ['alloc', /: page allocation failure[:.] order|vmemmap alloc failure: order|vmalloc error: size \d+|vmalloc: allocation failure[:,] |vmalloc size \d+ allocation failure/],
  ['hung', /INFO: task .*:\d+ blocked for more than \d+ seconds/],
  ['lockup', /BUG: soft lockup - CPU#\d+ stuck for/],
  // Expedited grace periods (synchronize_rcu_expedited) report their own stalls:
  // "rcu: INFO: rcu_preempt detected expedited stalls on CPUs/tasks: { 0-.... } 5556 jiffies s: 57 root: 0x1/."
  ['rcu', /rcu_\w+ (?:self-)?detected (?:expedited )?stalls?|rcu: INFO: \w+ (?:self-)?detected (?:expedited )?stall|INFO: rcu_\w+ (?:self-)?detected stall/],
  // The closing "---[ end Kernel panic - not syncing: … ]---" line belongs to the panic it ends.
  ['panic', /^(?!\s*---\[ end ).*Kernel panic - not syncing/],
  // A kernel WARNING says where: "WARNING: CPU: 0 PID: 93 at file:line" (≥3.x), "WARNING: at
  // file:line" (2.6), or is one of lockdep's/the unwinder's headlines. Any other "WARNING: …" is a
  // program's message (dockerd's "WARNING: No swap limit support", a line user space wrote to
  // /dev/kmsg), not a kernel report.
  ['error', /-+\[ cut here \]-+|^\s*WARNING: (?:CPU: \d+ PID: \d+ at |at |possible |suspicious RCU usage|inconsistent lock state|bad unlock balance|held lock freed|lock held |nested lock|bad contention|kernel stack )|^\s*(?:kernel )?BUG(?: at |: )|^\s*Oops(?:: | - )|Internal error: Oops|general protection fault|Unable to handle kernel/],
  ['sysrq', /^\s*sysrq: (?:SysRq : )?(?:Show|Trigger|Emergency|HELP)/i],
  ['showmem', /^\s*Mem-Info:|^\s*warn_alloc_show_mem:|^\s*show_mem:/],
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
