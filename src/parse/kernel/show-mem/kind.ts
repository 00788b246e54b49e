/**
 * A `Mem-Info:` section on its own: warn_alloc() prints it apart from its failure when the
 * ratelimit suppressed callbacks ("warn_alloc_show_mem: 3 callbacks suppressed"), and pastes split
 * them too; kernel-log.ts gives it to a failure next to it, else it is a memory dump of its own.
 */
import type { Problem } from '../../../model/common.js';
import type { SysrqIncident } from '../sysrq/kind.js';
import type { KernelLine } from '../../types.js';
import { baseOf } from '../common/block-base.js';
import { MemInfoBuilder } from '../common/mem-info.js';
import { sysrqDetails, sysrqSummary } from '../sysrq/kind.js';
import type { KernelKind } from '../kind.js';

function readShowMem(lines: readonly KernelLine[], _problems: Problem[]): SysrqIncident[] {
  const mem = new MemInfoBuilder(lines[0].line);
  for (const l of lines) mem.add(l.msg, l.line);
  if (!mem.hasContent()) return [];
  const base = baseOf('show_mem', lines); // named fields, not a spread: see oom/report.ts
  return [{
    kind: base.kind, input: base.input, line: base.line, endLine: base.endLine, time: base.time, timeText: base.timeText, uptimeSec: base.uptimeSec, partial: base.partial, command: 'show_mem', tasks: [], memInfo: mem.memInfo,
    memInfoReport: mem.report, zones: mem.zones, kernel: null,
  }];
}

export const showMem: KernelKind<SysrqIncident, 'showmem'> = {
  id: 'showmem',
  incidentKinds: ['show_mem'],
  markers: ['Mem-Info:', 'show_mem'],
  start: /^\s*Mem-Info:|^\s*warn_alloc_show_mem:|^\s*show_mem:/,
  tolerance: 0,
  // One Mem-Info per dump: a second "Mem-Info:" starts the next.
  belongs: (open, kind) => kind === 'showmem' && !open.lines.some((x) => /Mem-Info:/.test(x.msg)),
  endsHere: () => false,
  read: readShowMem,
  summary: sysrqSummary,
  details: sysrqDetails,
};
