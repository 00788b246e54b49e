import type { Line, Problem } from '../../model/common.js';
import type { SysctlSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, problem } from './util/lines.js';

// `sysctl -a`, `sysctl -p` and `sysctl vm.overcommit_memory` print "vm.overcommit_memory = 2"
// (procps and BusyBox alike). Only the top-level directories of /proc/sys are accepted as the
// first word, so prose with " = " in it is not claimed.
const ROW = /^((?:abi|crypto|debug|dev|fs|kernel|net|sunrpc|user|vm)\.[\w.\-/]+) = (.*?)\s*$/;

function detect(lines: readonly Line[], i: number): number {
  if (!ROW.test(lines[i].text) || (i > 0 && ROW.test(lines[i - 1].text))) return 0;
  let j = i;
  while (j < lines.length && ROW.test(lines[j].text)) j++;
  return j - i;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const values: Record<string, string> = {};
  for (const l of lines) {
    const m = ROW.exec(l.text);
    if (m) values[m[1]] = m[2];
    else problems.push(problem(l, `not a sysctl "key = value" line: ${l.text.trim()}`));
  }
  if (Object.keys(values).length === 0) return { incidents: [], problems };
  const n = (k: string): number | null => (values[k] != null && /^-?\d+$/.test(values[k]) ? Number(values[k]) : null);
  const incident: SysctlSnapshotIncident = {
    kind: 'sysctl_snapshot', ...frame(lines, 0, lines.length - 1, 'sysctl'), values,
    overcommitMemory: n('vm.overcommit_memory'), overcommitRatio: n('vm.overcommit_ratio'), overcommitKbytes: n('vm.overcommit_kbytes'),
  };
  return { incidents: [incident], problems };
}

export const sysctl: SectionParser = {
  id: 'sysctl',
  description: '`sysctl -a` / `sysctl -p` output ("vm.overcommit_memory = 2")',
  detect,
  parse,
};
