import type { Finding } from '../model/finding.js';
import type { KernelErrorIncident } from '../model/kernel-incidents.js';
import type { Rule, RuleContext } from './types.js';
import { chain, reliable, topFrames } from './util/frames.js';
import { headerEvidence, uniqueEvidence, when } from './util/text.js';

const NAME: Record<string, string> = { warning: 'WARNING', bug: 'BUG', oops: 'Oops', panic: 'kernel panic' };

export const driverWarning: Rule = {
  meta: { id: 'driver-warning', role: 'mechanism', precedence: 80, severity: 'warning', description: 'Driver (module) frames in a WARNING/BUG/Oops call trace, and whether it happened in interrupt context.' },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    ctx.incidents.forEach((i, index) => {
      if (!['warning', 'bug', 'oops', 'panic'].includes(i.kind)) return;
      const inc = i as KernelErrorIncident;
      // Frames printed between <IRQ> and </IRQ> come first: when there are some, the report fired in
      // the interrupt, and the frames after </IRQ> are only the task it interrupted.
      const path = reliable(inc.irqFrames > 0 ? inc.callTrace.slice(0, inc.irqFrames) : inc.callTrace);
      const driverFrames = path.filter((f) => f.module);
      if (driverFrames.length === 0) return;
      const irqSet = new Set(inc.callTrace.slice(0, inc.irqFrames));
      const inIrq = driverFrames.filter((f) => irqSet.has(f));
      const drivers = [...new Set(driverFrames.map((f) => f.module!))];
      const outward = (list: typeof path) => [...list].reverse().map((f) => `${f.fn} [${f.module}]`).join(' → ');
      const interrupted = inc.irqFrames > 0 ? topFrames(inc.callTrace.slice(inc.irqFrames), 4) : [];
      const what = NAME[inc.kind];
      const explanation = [
        `The ${what}${when(inc)}${inc.location ? ` at ${inc.location}` : ''}${inc.function ? ` in ${inc.function}` : ''} was reached through driver code: ${outward(driverFrames)} (module${drivers.length > 1 ? 's' : ''} ${drivers.join(', ')}).`,
        inIrq.length
          ? `This ran in interrupt (IRQ) context: the ${inIrq[0].module} interrupt handler was running when the check fired, on top of whatever the CPU was doing${inc.comm ? ` (${inc.comm}, pid ${inc.pid}, was only the task it interrupted${interrupted.length ? `, in ${chain(interrupted, 4)}` : ''})` : ''}.`
          : `The driver frames ran in the context of ${inc.comm ?? 'the current task'}${inc.pid != null ? ` (pid ${inc.pid})` : ''}.`,
        `The kernel code that complained (${inc.function ?? 'see the trace'}) is not necessarily at fault: the ${drivers[0]} path called it in a state it did not expect, so ${drivers[0]} (or the hardware behind it) is the first suspect.`,
        inc.kind === 'warning'
          ? 'A WARNING does not stop the kernel and does not mean data was lost; it sets taint flag W. Repeated warnings from the same driver are worth a driver or firmware update.'
          : `A ${what} usually kills the task it happened in, and can leave locks held; expect follow-on hangs.`,
      ].join(' ');
      out.push({
        rule: 'driver-warning',
        severity: inc.kind === 'warning' ? 'warning' : 'critical',
        title: `${what}${inc.function ? ` in ${inc.function}` : ''} reached from the ${drivers.join(', ')} driver${drivers.length > 1 ? 's' : ''}${inIrq.length ? ' in IRQ context' : ''}`,
        explanation,
        incidents: [index],
        evidence: uniqueEvidence([headerEvidence(ctx, inc), ...driverFrames.map((f) => ctx.evidence(inc.input, f.line, f.fn))]),
        data: { kind: inc.kind, function: inc.function, location: inc.location, drivers, driverFrames: driverFrames.map((f) => ({ fn: f.fn, module: f.module, irq: irqSet.has(f) })), irqContext: inIrq.length > 0, comm: inc.comm, pid: inc.pid },
        advice: [`Check for a newer ${drivers[0]} driver, kernel or device firmware; search the exact function and file:line of the ${what} in the kernel's bug tracker.`],
      });
    });
    return out;
  },
};
