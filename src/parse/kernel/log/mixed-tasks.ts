import type { Problem } from '../../../model/common.js';
import type { KernelLine } from '../../types.js';
import { firstNonSpace } from '../../../read/blank.js';

const CPU_TASK = /^\s*CPU: (\d+) (?:UID: \d+ )?PID: (\d+)/;

/**
 * Two CPUs printing reports at once interleave their lines. With printk caller ids the blocks
 * are kept apart (per caller); without them a report that names two tasks on its CPU: lines
 * holds lines of both, and the person reading it must know: a problem says so.
 */
export function mixedTasksProblem(lines: readonly KernelLine[]): Problem | null {
  if (lines.some((l) => l.caller)) return null;
  const tasks = new Set<string>();
  for (const l of lines) {
    // (the pattern only where the message starts with its "C": it was tried on every report line)
    const c = firstNonSpace(l.msg);
    if (c !== 67 && c !== -1) continue;
    const m = CPU_TASK.exec(l.msg);
    if (m) tasks.add(`CPU ${m[1]} pid ${m[2]}`);
  }
  if (tasks.size < 2) return null;
  const first = lines[0];
  return { input: first.input, line: first.line, severity: 'warning',
    message: `lines ${first.line}–${lines[lines.length - 1].line} mix reports printed at the same time by ${[...tasks].join(' and ')}; this log has no printk caller ids (CONFIG_PRINTK_CALLER, or use the console/kmsg copy), so their lines cannot be told apart and this incident may hold lines of both` };
}
