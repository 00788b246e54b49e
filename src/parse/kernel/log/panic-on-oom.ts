import type { Problem } from '../../../model/common.js';
import type { KernelIncident } from '../../../model/kernel-incidents.js';

/**
 * With vm.panic_on_oom the kernel prints the OOM report and panics instead of killing: the
 * report has no "Killed process" line because nobody was killed, not because it was cut off.
 * Such an OOM gets outcome "panic", and the "cut before its Killed process line" problem the OOM
 * parser raised for it is withdrawn. `incidents` is sorted by line.
 */
export function markPanicOnOom(incidents: KernelIncident[], problems: Problem[]): void {
  incidents.forEach((inc, i) => {
    const next = incidents[i + 1];
    if (inc.kind !== 'oom_kill' || inc.victim.line != null || next?.kind !== 'panic' || !/panic_on_oom|Out of memory/.test(next.message)) return;
    inc.outcome = 'panic';
    inc.partial = inc.trigger.line == null;
    const p = problems.findIndex((x) => x.input === inc.input && x.line === inc.endLine && /without its "Killed process" line/.test(x.message));
    if (p !== -1) problems.splice(p, 1);
  });
}
