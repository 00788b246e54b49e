import type { Line, Problem } from '../../model/common.js';
import type { FunccountRow, FunccountSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, isBlank, problem, promptCommand, runsTool, words } from './util/lines.js';

// funccount from bcc ("Tracing 5 functions for "vfs_*"... Hit Ctrl-C to end.", "FUNC  COUNT", rows,
// "Detaching...") and from perf-tools (ftrace's function profiler: "Tracing "ip*"... Ctrl-C to end.",
// "FUNC  COUNT", rows sorted by count, "Ending tracing..."). perf-tools prints names in 30 columns,
// so a 30-character name may have been cut short (seed 001: "nv_is_uuid_in_gpu_exclusion_li").
const TOOL = /^(\S*\/)?funccount(\.py)?(\s|$)/;
const HEADER = /^\s*FUNC\s+COUNT\s*$/;
const ROW = /^\s*(\S+)\s+(\d+)\s*$/;
const TRACING = /^Tracing\b.*?"([^"]+)"/;
// Lines between the command and the table, and after it, that the tools print.
const CHATTER = /^(Tracing\b.*|\^C|Detaching\.*|Ending tracing\.*)\s*$/;

function extent(lines: readonly Line[], i: number): number {
  let j = i;
  const t = lines[i].text;
  if (!HEADER.test(t)) {
    // A command or "Tracing …" line, then chatter and blanks, then the header.
    if (!(t.includes('funccount') && runsTool(t, TOOL)) && !TRACING.test(t.trim())) return 0;
    j++;
    while (j < lines.length && j - i < 6 && (isBlank(lines[j]) || CHATTER.test(lines[j].text.trim()))) j++;
    if (j >= lines.length || !HEADER.test(lines[j].text)) return 0;
  }
  j++;
  while (j < lines.length && ROW.test(lines[j].text)) j++;
  if (j < lines.length && /^(Detaching|Ending tracing)/.test(lines[j].text.trim())) j++;
  return j - i;
}

function detect(lines: readonly Line[], i: number): number {
  const t = lines[i].text;
  return t.includes('FUNC') || t.includes('funccount') || t.startsWith('Tracing') ? extent(lines, i) : 0;
}

/** The last argument that is not an option: "funccount -i 1 'tcp_send*'" → "tcp_send*". */
function patternOf(command: string): string | null {
  const args = words(command).slice(1).filter((a) => !a.startsWith('-'));
  const last = args[args.length - 1];
  return last ? last.replace(/^(['"])(.*)\1$/, '$2') : null;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const functions: FunccountRow[] = [];
  let command: string | null = null;
  let pattern: string | null = null;
  let header = false;
  for (const l of lines) {
    const t = l.text.trim();
    if (!header) {
      if (HEADER.test(l.text)) header = true;
      else if (t.includes('funccount') && runsTool(t, TOOL)) {
        command = promptCommand(l.text) ?? t;
        pattern ??= patternOf(command);
      } else if (TRACING.test(t)) pattern ??= TRACING.exec(t)![1];
      else if (!isBlank(l) && !CHATTER.test(t)) problems.push(problem(l, `funccount line not understood: ${t}`));
      continue;
    }
    const m = ROW.exec(l.text);
    if (m) functions.push({ name: m[1], count: Number(m[2]), line: l.line });
    else if (!CHATTER.test(t) && !isBlank(l)) problems.push(problem(l, `funccount row not understood: ${t}`));
  }
  if (!header) return { incidents: [], problems };
  const incident: FunccountSnapshotIncident = {
    kind: 'funccount_snapshot', ...frame(lines, 0, lines.length - 1, 'funccount'), command, pattern, functions,
  };
  return { incidents: [incident], problems };
}

export const funccount: SectionParser = {
  id: 'funccount',
  description: 'funccount (bcc or perf-tools) FUNC/COUNT table, with the traced pattern',
  detect,
  parse,
};
