import type { Line, Problem } from '../../model/common.js';
import type { EnomemLinesIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, problem } from './util/lines.js';

// A program told "no" by the kernel without any OOM report: malloc/mmap/fork got ENOMEM, as under
// strict overcommit (vm.overcommit_memory=2) or a RLIMIT_AS. Spelled by libc's strerror
// ("hog: malloc: Cannot allocate memory"), by HotSpot ("os::commit_memory(0x…, 65536, 0) failed;
// error='Cannot allocate memory' (errno=12)", "There is insufficient memory for the Java Runtime
// Environment to continue."), by fork in shells ("fork: Cannot allocate memory"). One line each.
const LINE = /Cannot allocate memory|\berrno=12\b|insufficient memory for the Java Runtime Environment|\bENOMEM\b/;
const FAILED_AFTER = /^(\S+): failed after (\d+) MiB\s*$/;
const JVM = /os::commit_memory|Java Runtime/;
// HotSpot follows its warning with a "#"-framed banner ("#", "# There is insufficient memory…",
// "# Native memory allocation (mmap) failed to map N bytes…", "# An error report file…"): one failure.
const HOTSPOT_BANNER = /^#(\s|$)/;

function detect(lines: readonly Line[], i: number): number {
  if (!LINE.test(lines[i].text)) return 0;
  // Kernel lines are the kernel parser's ("[ 1.2] …"), not a program's.
  if (/^\s*\[\s*\d+\.\d+\]/.test(lines[i].text)) return 0;
  let jvm = JVM.test(lines[i].text);
  let j = i + 1;
  while (j < lines.length && (LINE.test(lines[j].text) || FAILED_AFTER.test(lines[j].text) || (jvm && HOTSPOT_BANNER.test(lines[j].text))) && !/^\s*\[\s*\d+\.\d+\]/.test(lines[j].text)) {
    jvm ||= JVM.test(lines[j].text);
    j++;
  }
  return j - i;
}

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  for (const l of lines) if (!LINE.test(l.text) && !FAILED_AFTER.test(l.text) && !HOTSPOT_BANNER.test(l.text)) problems.push(problem(l, `not a "Cannot allocate memory" line: ${l.text.trim()}`));
  const entries = lines.filter((l) => LINE.test(l.text)).map((l) => {
    const prog = /^([\w./-]+):/.exec(l.text.trim());
    return { program: prog ? prog[1] : JVM.test(l.text) ? 'java' : null, text: l.text.trim(), jvm: JVM.test(l.text), line: l.line };
  });
  if (entries.length === 0) return { incidents: [], problems };
  const incident: EnomemLinesIncident = { kind: 'enomem_lines', ...frame(lines, 0, lines.length - 1, 'enomem'), entries };
  return { incidents: [incident], problems };
}

export const enomem: SectionParser = {
  id: 'enomem',
  description: 'programs\' "Cannot allocate memory" / errno=12 lines (malloc, fork, a JVM\'s os::commit_memory)',
  detect,
  parse,
};
