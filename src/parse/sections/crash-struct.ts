import type { Line } from '../../model/common.js';
import type { CrashStructIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { crashCommand, extentFrom, isStructLine, structFields } from './util/crash.js';
import { frame, skipBlank } from './util/lines.js';

// crash struct prints: "struct inode.i_mutex 0x…", the short form "inode.i_mutex 0x…" and
// "signal_struct.oom_score_adj_min 0x…" (seed 004), and "p expr". The output is gdb's
// "name = value," / "name = {" … "}," nesting; it is kept as flat dotted paths with their values.
const COMMAND = /^(?:(?:struct|union)\s+)?([a-z_]\w*(?:\.[\w.]+)?)\s+(?:-\S+\s+)*((?:0x)?[0-9a-f]{6,})\b|^(?:p|px|pd|print)\s+(\S.*)$/;

function detect(lines: readonly Line[], i: number): number {
  const cmd = crashCommand(lines[i].text);
  if (cmd === null || !COMMAND.test(cmd) || /^(bt|ps|task|kmem|list|dis|rd|sym|foreach)\b/.test(cmd)) return 0;
  const at = skipBlank(lines, i + 1);
  if (at >= lines.length || !isStructLine(lines[at].text)) return 0;
  return extentFrom(lines, i, at, isStructLine);
}

function parse(lines: readonly Line[]) {
  const command = crashCommand(lines[0]?.text ?? '');
  const m = COMMAND.exec(command ?? '');
  const body = structFields(lines.slice(1));
  const incident: CrashStructIncident = {
    kind: 'crash_struct', ...frame(lines, 0, lines.length - 1, 'crash-struct'), command,
    expression: m ? (m[1] ?? m[3] ?? null) : null, address: m?.[2] ?? null, task: null, fields: body.fields,
  };
  incident.partial = !body.balanced;
  return { incidents: [incident], problems: body.problems };
}

export const crashStruct: SectionParser = {
  id: 'crash-struct',
  description: 'crash struct / member / p prints, flattened to field = value pairs',
  detect,
  parse,
};
