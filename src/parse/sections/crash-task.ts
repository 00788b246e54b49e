import type { Line, Problem } from '../../model/common.js';
import type { CrashSchedInfoIncident, CrashStructIncident, CrashTask } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { crashCommand, extentFrom, isStructLine, outputStart, structFields, taskHeader } from './util/crash.js';
import { frame, skipBlank } from './util/lines.js';

// crash "task -R member[,member]" prints the task header then each task_struct member gdb-style
// ("sched_info = { pcount = 770201, run_delay = …, … }"). sched_info's run_delay / last_arrival /
// last_queued are rq-clock nanoseconds; a task whose last_arrival is far behind the crash time
// has not run for that long. Other members become crash_struct incidents.
const COMMAND = /^task\b/;

function detect(lines: readonly Line[], i: number): number {
  const s = outputStart(lines, i, COMMAND);
  if (!s || s.at >= lines.length || taskHeader(lines[s.at].text) === null) return 0;
  const next = lines[skipBlank(lines, s.at + 1)]?.text ?? '';
  if (!isStructLine(next)) return 0;
  return extentFrom(lines, i, s.at, (t) => isStructLine(t) || taskHeader(t) !== null);
}

function parse(lines: readonly Line[]) {
  const command = crashCommand(lines[0]?.text ?? '');
  const incidents: (CrashSchedInfoIncident | CrashStructIncident)[] = [];
  const problems: Problem[] = [];
  // One block per task header (task -R on several pids prints several).
  const starts = lines.flatMap((l, k) => (taskHeader(l.text) ? [k] : []));
  for (const [n, at] of starts.entries()) {
    const end = (starts[n + 1] ?? lines.length) - 1;
    const task = taskHeader(lines[at].text) as CrashTask;
    const body = structFields(lines.slice(at + 1, end + 1));
    problems.push(...body.problems);
    const base = frame(lines, n === 0 && command !== null ? 0 : at, end, 'crash-task');
    let last = end;
    while (last > at && lines[last].text.trim() === '') last--;
    base.endLine = lines[last].line;
    base.partial = !body.balanced;
    const sched = body.fields.filter((f) => f.path.startsWith('sched_info.'));
    const other = body.fields.filter((f) => !f.path.startsWith('sched_info.'));
    const val = (name: string) => sched.find((f) => f.path === `sched_info.${name}`)?.number ?? null;
    if (sched.length > 0) {
      incidents.push({ kind: 'crash_sched_info', ...base, ...task, command, pcount: val('pcount'),
        runDelayNs: val('run_delay'), lastArrivalNs: val('last_arrival'), lastQueuedNs: val('last_queued') });
    }
    if (other.length > 0 || sched.length === 0) {
      const expression = /^task\s+-R\s+(\S+)/.exec(command ?? '')?.[1] ?? null;
      incidents.push({ kind: 'crash_struct', ...base, command, expression, address: task.task, task, fields: other });
    }
  }
  return { incidents, problems };
}

export const crashTask: SectionParser = {
  id: 'crash-task',
  description: 'crash "task -R member" (sched_info becomes crash_sched_info, the rest crash_struct)',
  detect,
  parse,
};
