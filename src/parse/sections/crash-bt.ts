import type { Line, Problem } from '../../model/common.js';
import type { CrashBtIncident, CrashFrame } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { crashCommand, extentFrom, outputStart, taskHeader } from './util/crash.js';
import { frame, isBlank, problem, skipBlank } from './util/lines.js';

// crash "bt" (also "bt -a", "foreach bt"): per task a header "PID: … TASK: … CPU: … COMMAND: "…"",
// frames "#3 [ffff8803e2ee5ca0] mutex_lock at ffffffff815f1c47" (with " [module]" for module code),
// "[exception RIP: filldir+99]" where an exception frame interrupts the stack, register dumps,
// and with -f/-l stack words and source lines. crash prints no "?" marks and no +off/size.
const FRAME = /^\s*#(\d+)\s+\[([0-9a-f]+)\]\s+(\S+)\s+at\s+([0-9a-f]+)(?:\s+\[([\w-]+)\])?.*$/;
const EXCEPTION = /^\s*\[exception RIP: (\S+?)\]\s*$/;
const NOISE = [
  /^\s*(?:[A-Z][A-Z0-9_]*:\s+[0-9a-f]+\s*)+$/, // RIP: … RSP: … / ORIG_RAX: … CS: … SS: …
  /^\s*[0-9a-f]+:(?:\s+[0-9a-f]+)+\s*$/, // bt -f stack words
  /^\s*\[RA: .*\]\s*$/, // 32-bit x86 frame summary
  /^\s*--- <.*> ---\s*$/, // exception / IRQ stack boundaries
  /^\s*\/\S+: \d+\s*$/, // bt -l source line
];

function fits(lines: readonly Line[]) {
  return (t: string, k: number) =>
    FRAME.test(t) || EXCEPTION.test(t) || NOISE.some((re) => re.test(t)) ||
    (taskHeader(t) !== null && FRAME.test(lines[skipBlank(lines, k + 1)]?.text ?? ''));
}

function detect(lines: readonly Line[], i: number): number {
  const s = outputStart(lines, i, /^(bt|foreach\b.*\bbt)\b/);
  if (!s || s.at >= lines.length) return 0;
  if (taskHeader(lines[s.at].text) === null || !FRAME.test(lines[skipBlank(lines, s.at + 1)]?.text ?? '')) return 0;
  return extentFrom(lines, i, s.at, fits(lines));
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const incidents: CrashBtIncident[] = [];
  const command = crashCommand(lines[0]?.text ?? '');
  let cur: CrashBtIncident | null = null;
  let start = 0;
  const close = (end: number) => {
    if (cur) Object.assign(cur, frame(lines, start, end, 'crash-bt'));
  };
  let lastContent = 0;
  for (const [k, l] of lines.entries()) {
    const t = l.text;
    let m: RegExpExecArray | null;
    const head = taskHeader(t);
    if (isBlank(l) || (k === 0 && command !== null)) continue;
    if (head) {
      close(lastContent);
      start = k;
      cur = { kind: 'crash_bt', ...frame(lines, k, k, 'crash-bt'), ...head, command, frames: [], exceptionRips: [] };
      incidents.push(cur);
    } else if (cur && (m = FRAME.exec(t))) {
      const f: CrashFrame = { index: Number(m[1]), stackAddr: m[2], fn: m[3], pc: m[4], offset: null,
        module: m[5] ?? null, unreliable: false, line: l.line };
      cur.frames.push(f);
    } else if (cur && (m = EXCEPTION.exec(t))) {
      cur.exceptionRips.push({ symbol: m[1], line: l.line });
    } else if (!cur || !NOISE.some((re) => re.test(t))) {
      problems.push(problem(l, `crash bt line not understood: ${t.trim()}`));
    }
    lastContent = k;
  }
  close(lastContent);
  if (incidents[0] && command !== null) Object.assign(incidents[0], { line: lines[0].line });
  return { incidents, problems };
}

export const crashBt: SectionParser = {
  id: 'crash-bt',
  description: 'crash "bt" backtraces (one incident per task)',
  detect,
  parse,
};
