import type { EvidenceLine } from '../model/common.js';
import type { Finding } from '../model/finding.js';
import type { ManualOomFinding } from '../model/findings/manual-oom.js';
import type { OomKillIncident } from '../model/kernel-incidents.js';
import { optionsOf, type Rule, type RuleContext, type RuleOptions } from './types.js';
import { lineIn } from './util/snapshot-lines.js';
import { groupStories, type StoryItem } from './util/story-groups.js';
import { headerEvidence } from './util/text.js';

// sysrq f (moom_callback → out_of_memory with order = -1) and the memcg/debugfs equivalents
// run the OOM killer with no allocation behind it: order=-1 is the kernel's marker for that since
// 4.4. Before 4.4 moom_callback passed order 0 and GFP_KERNEL, so the parser marks the report
// manual from its work item ("Workqueue: events moom_callback", a moom_callback frame) instead.
// Explaining it as a failed request, or as a zone that ran out, would be wrong.
export const manualOom: Rule = {
  meta: {
    id: 'manual-oom', role: 'cause', precedence: 5, severity: 'warning',
    description: 'An OOM kill asked for by hand (sysrq f: order=-1, or moom_callback before 4.4): no allocation failed; say so instead of explaining a request.',
    options: { groupReports: { default: 2, description: 'manual OOM kills told alike (order -1, or moom_callback before 4.4) from which they are one finding' } },
  },
  check(ctx: RuleContext, options?: RuleOptions): Finding[] {
    const o = optionsOf(manualOom.meta, options);
    const items: StoryItem<ManualOomFinding>[] = [];
    ctx.incidents.forEach((inc, index) => {
      if (inc.kind !== 'oom_kill' || !inc.manual) return;
      // A watchdog pressing sysrq f again and again: one finding, the last kill in detail.
      items.push({ index, inc, key: inc.trigger.order === -1 ? 'order -1' : 'moom_callback', finding: () => manualFinding(ctx, index, inc) });
    });
    return groupStories(ctx, items, o.groupReports, (n, from, to) => `The OOM killer was run by hand at ${n} OOM kills, from ${from} to ${to}.`);
  },
};

function manualFinding(ctx: RuleContext, index: number, inc: OomKillIncident): ManualOomFinding {
  const minusOne = inc.trigger.order === -1;
  const span = { input: inc.input, line: Math.max(1, inc.line - 1), endLine: inc.endLine };
  // "sysrq: Manual OOM execution" is printed just before the report, outside it; the trace's
  // moom_callback (and its "Workqueue: events moom_callback" line) is inside.
  const moom = inc.callTrace.find((f) => f.fn === 'moom_callback');
  const sysrq = lineIn(ctx, span, 'moom_callback');
  const how = [minusOne ? 'order=-1' : null, sysrq ? 'sysrq f' : null].filter(Boolean).join(', ');
  const v = inc.victim;
  return {
    rule: 'manual-oom', severity: 'warning',
    title: `The OOM killer was run by hand${how ? ` (${how})` : ''}, not by a failed allocation${v.pid != null ? `; it killed ${v.comm} (pid ${v.pid})` : ''}`,
    explanation: [
      minusOne ? "The report's order is -1: the kernel's marker for an OOM kill that no allocation asked for." : `The report says order=${inc.trigger.order ?? '?'}, but kernels before 4.4 printed that for sysrq f too: no request failed.`,
      sysrq ? 'It ran in moom_callback, the work item of sysrq f (echo f > /proc/sysrq-trigger, or Alt+SysRq+F on a console; the kernel prints "Manual OOM execution" just before).' : '',
      `Its gfp_mask (${inc.trigger.gfpMask ?? '?'}) is a fixed GFP_KERNEL placeholder, and the task named as invoker (${inc.trigger.comm ?? '?'}) is the worker that ran it, not a process that asked for memory.`,
      'Whoever pressed it (a person, a watchdog script, earlyoom-like tooling writing to /proc/sysrq-trigger) decided memory was short; the Mem-Info shows how short it really was.',
    ].filter(Boolean).join(' '),
    incidents: [index],
    evidence: [headerEvidence(ctx, inc), sysrq, moom ? { input: inc.input, line: moom.line, text: ctx.lineText(inc.input, moom.line, 'moom_callback') ?? '' } : null].filter((e): e is EvidenceLine => e != null && e.text !== ''),
    data: { order: inc.trigger.order, sysrq: sysrq != null, invoker: inc.trigger.comm, victimPid: v.pid, victimComm: v.comm },
  };
}
