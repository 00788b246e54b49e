import type { Line, Problem } from '../../../model/common.js';
import type { CrashStructField, CrashTask } from '../../../model/snapshot-incidents.js';
import { claimed, int, isBlank, problem, skipBlank } from './lines.js';

// crash(8) sessions: "crash> cmd" prompt lines name what follows. Output copied from web pages
// (seed 004) has a blank line after every line, so blank lines never end a crash section; the
// next prompt or a line that is not the command's output does.
const PROMPT = /^\s*crash>\s*(.*?)\s*$/;
const TASK = /^\s*PID:\s*(\S+)\s+TASK:\s*([0-9a-f]+)\s+CPU:\s*(\S+)\s+COMMAND:\s*"(.*)"\s*$/;

export function crashCommand(text: string): string | null {
  const m = PROMPT.exec(text);
  return m ? m[1] : null;
}

/** The task header every per-task command prints; pid/cpu stay null when not numbers ("PID: pid"). */
export function taskHeader(text: string): CrashTask | null {
  const m = TASK.exec(text);
  return m ? { pid: int(m[1]), task: m[2], cpu: int(m[3]), comm: m[4] } : null;
}

/** Start of a command's output: after a prompt whose command matches `re`, else i itself. */
export function outputStart(lines: readonly Line[], i: number, re: RegExp): { at: number; command: string | null } | null {
  const cmd = crashCommand(lines[i].text);
  if (cmd === null) return { at: i, command: null };
  return re.test(cmd) ? { at: skipBlank(lines, i + 1), command: cmd } : null;
}

/** Lines from i while each non-blank line at or after `at` fits; trailing blanks are not claimed. */
export function extentFrom(lines: readonly Line[], i: number, at: number, fits: (t: string, k: number) => boolean): number {
  let j = at;
  while (j < lines.length && (isBlank(lines[j]) || (crashCommand(lines[j].text) === null && fits(lines[j].text, j)))) j++;
  return j > at ? claimed(lines, i, j) : 0;
}

const OPEN = /^\s*(\$?[\w[\]]+) = \{\s*$/;
const OPEN_ANON = /^\s*(?:struct [\w]+ )?\{\s*$/;
const CLOSE = /^\s*\},?\s*$/;
const LEAF = /^\s*(\$?[\w[\]]+) = (.*?),?\s*$/;

export function isStructLine(t: string): boolean {
  return OPEN.test(t) || OPEN_ANON.test(t) || CLOSE.test(t) || LEAF.test(t);
}

/** Decimal values ("-124", "0 '\000'") as numbers; hex addresses stay text only. */
function numberOf(value: string): number | null {
  const m = /^(-?\d+)(?: '.*')?$/.exec(value);
  return m && Number.isSafeInteger(Number(m[1])) ? Number(m[1]) : null;
}

/** Flattens crash's gdb-style struct print into dotted leaf paths (anonymous levels add no name). */
export function structFields(lines: readonly Line[]): { fields: CrashStructField[]; problems: Problem[]; balanced: boolean } {
  const fields: CrashStructField[] = [];
  const problems: Problem[] = [];
  const path: (string | null)[] = [];
  for (const l of lines) {
    const t = l.text;
    let m: RegExpExecArray | null;
    if (isBlank(l)) continue;
    if ((m = OPEN.exec(t))) path.push(m[1]);
    else if (OPEN_ANON.test(t)) path.push(null);
    else if (CLOSE.test(t)) {
      if (path.length === 0) problems.push(problem(l, 'closing brace without an opening one', 'info'));
      path.pop();
    } else if ((m = LEAF.exec(t))) {
      const full = [...path.filter((p): p is string => p !== null), m[1]].join('.');
      fields.push({ path: full, value: m[2], number: numberOf(m[2]), line: l.line });
    } else problems.push(problem(l, `struct output line not understood: ${t.trim()}`));
  }
  return { fields, problems, balanced: path.length === 0 };
}
