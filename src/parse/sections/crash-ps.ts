import type { Line, Problem } from '../../model/common.js';
import type { CrashPsIncident, CrashPsTask } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { crashCommand, extentFrom, outputStart, taskHeader } from './util/crash.js';
import { frame, int, isBlank, num, problem, skipBlank } from './util/lines.js';

// crash "ps" in three layouts: the table ("PID PPID CPU TASK ST %MEM VSZ RSS COMM", ">" marking
// tasks on a CPU), "ps -l" ("[99026812502124] [UN] PID: 28627 TASK: … CPU: 7 COMMAND: "top"",
// the last_run timestamp in ns), and "ps -t" (a task header, then RUN TIME / START TIME / UTIME / STIME).
// "ps | … | wc -l" is crash-count's.
const COMMAND = /^ps\b(?!.*\|\s*wc\b)/;
const HEADER = /^\s*PID\s+PPID\s+CPU\s+(?:TASK|KSTACKP)\s+ST\s+%MEM\s+VSZ\s+RSS\s+COMM\s*$/;
const ROW = /^(>?)\s*(\d+)\s+(\d+)\s+(\d+)\s+([0-9a-f]+)\s+([A-Z]{2})\s+([\d.]+)\s+(\d+)\s+(\d+)\s+(.+?)\s*$/;
const LONG = /^\s*\[\s*(\d+)\]\s+\[([A-Z]{2})\]\s+(PID:.*)$/;
const TIMES = /^\s*(RUN TIME|START TIME|UTIME|STIME):\s*(.+?)\s*$/;

function fits(lines: readonly Line[]) {
  return (t: string, k: number) =>
    HEADER.test(t) || ROW.test(t) || LONG.test(t) || TIMES.test(t) ||
    (taskHeader(t) !== null && TIMES.test(lines[skipBlank(lines, k + 1)]?.text ?? ''));
}

function detect(lines: readonly Line[], i: number): number {
  const s = outputStart(lines, i, COMMAND);
  if (!s || s.at >= lines.length) return 0;
  const t = lines[s.at].text;
  if (s.command === null && !(HEADER.test(t) || LONG.test(t))) return 0;
  return extentFrom(lines, i, s.at, fits(lines));
}

function task(l: Line, fields: Partial<CrashPsTask>): CrashPsTask {
  return { pid: null, task: null, cpu: null, comm: null, state: null, ppid: null, memPercent: null, vszKb: null,
    rssKb: null, lastRunNs: null, active: false, times: null, ...fields, line: l.line };
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const command = crashCommand(lines[0]?.text ?? '');
  const incident: CrashPsIncident = {
    kind: 'crash_ps', ...frame(lines, 0, lines.length - 1, 'crash-ps'), command,
    filtered: /\|\s*grep\b/.test(command ?? ''), tasks: [],
  };
  let timed: CrashPsTask | null = null;
  for (const l of lines.slice(command !== null ? 1 : 0)) {
    const t = l.text;
    let m: RegExpExecArray | null;
    const head = taskHeader(t);
    if (isBlank(l) || HEADER.test(t)) continue;
    if ((m = ROW.exec(t))) {
      incident.tasks.push(task(l, { active: m[1] === '>', pid: int(m[2]), ppid: int(m[3]), cpu: int(m[4]), task: m[5],
        state: m[6], memPercent: num(m[7]), vszKb: int(m[8]), rssKb: int(m[9]), comm: m[10] }));
    } else if ((m = LONG.exec(t)) && taskHeader(m[3])) {
      incident.tasks.push(task(l, { ...taskHeader(m[3]), lastRunNs: int(m[1]), state: m[2] }));
    } else if (head) {
      // ps -t repeats the task; attach its times to the ps -l line already read for that task.
      timed = incident.tasks.find((x) => x.task === head.task) ?? null;
      if (!timed) incident.tasks.push((timed = task(l, head)));
      timed.times = { runTimeText: null, startTime: null, utime: null, stime: null };
    } else if ((m = TIMES.exec(t)) && timed?.times) {
      if (m[1] === 'RUN TIME') timed.times.runTimeText = m[2];
      else timed.times[m[1] === 'START TIME' ? 'startTime' : m[1] === 'UTIME' ? 'utime' : 'stime'] = int(m[2]);
    } else problems.push(problem(l, `crash ps line not understood: ${t.trim()}`));
  }
  return { incidents: [incident], problems };
}

export const crashPs: SectionParser = {
  id: 'crash-ps',
  description: 'crash "ps" output (table, -l, -t)',
  detect,
  parse,
};
