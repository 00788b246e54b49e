import type { Finding } from '../model/finding.js';
import type { Rule, RuleContext } from './types.js';
import { chain, modulesOf, topFrames } from './util/frames.js';
import { headerEvidence, uniqueEvidence, when } from './util/text.js';

const RECLAIM = /^(shrink_\w+|__alloc_pages\w*|try_to_free\w*pages|compact_\w+|isolate_\w+|balance_pgdat|kswapd\w*)$/;
const SPIN = /^(native_queued_spin_lock_slowpath|queued_spin_lock_slowpath|_raw_spin_lock\w*|__raw_spin_lock\w*|do_raw_spin_lock)$/;

export const softLockup: Rule = {
  meta: { id: 'soft-lockup', role: 'mechanism', precedence: 70, severity: 'warning', description: 'A CPU stuck in kernel code without scheduling (watchdog soft lockup): CPU, seconds, task, top frames.' },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    ctx.incidents.forEach((inc, index) => {
      if (inc.kind !== 'soft_lockup') return;
      const top = topFrames(inc.callTrace, 6);
      const mods = modulesOf(inc.callTrace).filter((m) => m.reliable).map((m) => m.module);
      const reclaim = top.find((f) => RECLAIM.test(f.fn));
      const spin = top.find((f) => SPIN.test(f.fn));
      const explanation = [
        `CPU ${inc.cpu} ran kernel code for ${inc.seconds} seconds without letting anything else run${when(inc)}; the task on it was ${inc.comm} (pid ${inc.pid}).`,
        top.length ? `Where it was: ${chain(top, 6)}.` : 'The report\'s stack is not in the input, so where it spun is unknown.',
        spin ? `${spin.fn} means it was spinning on a lock another CPU held.` : '',
        reclaim ? `${reclaim.fn} means it was allocating or reclaiming memory: under heavy memory pressure, reclaim and compaction can run this long.` : '',
        mods.length ? `Module code in the trace: ${mods.join(', ')}.` : '',
        'Other tasks bound to that CPU were starved meanwhile.',
        'It does not mean the machine hung for good: a soft lockup often recovers (the watchdog reports it again if it does not), unless kernel.softlockup_panic is set.',
      ].filter(Boolean).join(' ');
      out.push({
        rule: 'soft-lockup', severity: 'warning',
        title: `Soft lockup: CPU ${inc.cpu} stuck for ${inc.seconds} s in ${top[0]?.fn ?? inc.comm}`,
        explanation,
        incidents: [index],
        evidence: uniqueEvidence([headerEvidence(ctx, inc), ...top.slice(0, 3).map((f) => ctx.evidence(inc.input, f.line, f.fn))]),
        data: { cpu: inc.cpu, stuckSec: inc.seconds, comm: inc.comm, pid: inc.pid, topFrames: top.map((f) => f.fn), modules: mods, reclaiming: reclaim != null, spinning: spin != null },
      });
    });
    return out;
  },
};
