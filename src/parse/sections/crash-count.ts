import type { Line, Problem } from '../../model/common.js';
import type { CrashCountIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { crashCommand } from './util/crash.js';
import { frame, int, problem, skipBlank } from './util/lines.js';

// "crash> ps | grep UN | wc -l" then "760"; "crash> list … -s mutex_waiter.task 0x… | wc -l" then
// "1498". list prints each entry's address line plus one line per -s member, so 1498 lines with
// one member are 749 waiters. A whole struct (-s without a member) has no fixed line count.
const WC = /\|\s*wc\s+-l\s*$/;
const NUMBER = /^\s*(\d+)\s*$/;

function detect(lines: readonly Line[], i: number): number {
  const cmd = crashCommand(lines[i].text);
  if (cmd === null || !WC.test(cmd)) return 0;
  const at = skipBlank(lines, i + 1);
  return at < lines.length && NUMBER.test(lines[at].text) ? at - i + 1 : 0;
}

function entriesOf(command: string, count: number, l: Line, problems: Problem[]): number | null {
  if (/^ps\b/.test(command)) return count;
  if (!/^list\b/.test(command)) return null;
  const s = /\s-s\s+(\S+)/.exec(command);
  if (!s) return count;
  if (!s[1].includes('.')) return null;
  const perEntry = 1 + s[1].split(',').length;
  if (count % perEntry !== 0) {
    problems.push(problem(l, `${count} lines do not split into entries of ${perEntry} lines; entries left unknown`, 'info'));
    return null;
  }
  return count / perEntry;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const command = crashCommand(lines[0]?.text ?? '') ?? '';
  const last = lines[lines.length - 1];
  const count = int(NUMBER.exec(last?.text ?? '')?.[1]);
  if (!last || count === null || !WC.test(command)) {
    for (const l of lines) problems.push(problem(l, `not a crash "… | wc -l" count: ${l.text.trim()}`));
    return { incidents: [], problems };
  }
  const state = /^ps\b.*\|\s*grep\s+(?:-w\s+)?([A-Z]{2})\b/.exec(command);
  const incident: CrashCountIncident = {
    kind: 'crash_count', ...frame(lines, 0, lines.length - 1, 'crash-count'), command, count,
    entries: entriesOf(command, count, last, problems), taskState: state ? state[1] : null,
  };
  return { incidents: [incident], problems };
}

export const crashCount: SectionParser = {
  id: 'crash-count',
  description: 'crash "… | wc -l" counts (tasks in a state, list entries)',
  detect,
  parse,
};
