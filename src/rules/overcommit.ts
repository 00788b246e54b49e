import type { EvidenceLine } from '../model/common.js';
import type { Finding } from '../model/finding.js';
import { formatKb } from '../model/units.js';
import { optionsOf, type Rule, type RuleContext, type RuleOptions } from './types.js';
import { lineIn } from './util/snapshot-lines.js';
import { kb } from './util/text.js';

interface Commit { index: number; committedKb: number; limitKb: number; ramKb: number | null; swapKb: number | null; source: string; evidence: (EvidenceLine | null)[] }

function commits(ctx: RuleContext): Commit[] {
  const out: Commit[] = [];
  ctx.incidents.forEach((inc, index) => {
    if (inc.kind === 'meminfo_snapshot' && inc.committedAsKb != null && inc.commitLimitKb != null) {
      out.push({ index, committedKb: inc.committedAsKb, limitKb: inc.commitLimitKb, ramKb: inc.memTotalKb, swapKb: inc.swapTotalKb, source: '/proc/meminfo',
        evidence: [lineIn(ctx, inc, 'CommitLimit:', true), lineIn(ctx, inc, 'Committed_AS:', true), lineIn(ctx, inc, 'MemTotal:', true)] });
    } else if (inc.kind === 'crash_kmem' && inc.committedPages != null && inc.commitLimitPages != null && inc.pageSizeKb != null) {
      const ps = inc.pageSizeKb;
      out.push({ index, committedKb: inc.committedPages * ps, limitKb: inc.commitLimitPages * ps, ramKb: inc.totalMemPages != null ? inc.totalMemPages * ps : null, swapKb: inc.totalSwapPages != null ? inc.totalSwapPages * ps : null, source: 'crash kmem -i',
        evidence: [lineIn(ctx, inc, 'TOTAL MEM'), lineIn(ctx, inc, 'COMMIT LIMIT'), lineIn(ctx, inc, 'COMMITTED')] });
    }
  });
  return out;
}

export const overcommit: Rule = {
  meta: {
    id: 'overcommit', role: 'context', precedence: 50, severity: 'warning', description: 'Committed_AS above CommitLimit: processes have reserved more memory than the machine has; a warning sign, not a cause.',
    options: {
      reportPercentOfLimit: { default: 100, description: 'reported when Committed_AS is above this % of CommitLimit' },
      warningPercentOfBacking: { default: 100, description: 'a warning when Committed_AS is above this % of RAM + swap' },
    },
  },
  check(ctx: RuleContext, options?: RuleOptions): Finding[] {
    const op = optionsOf(overcommit.meta, options);
    return commits(ctx).filter((c) => c.committedKb * 100 > c.limitKb * op.reportPercentOfLimit).map((c) => {
      const ofLimit = Math.round((100 * c.committedKb) / c.limitKb);
      const backing = c.ramKb != null ? c.ramKb + (c.swapKb ?? 0) : null;
      const ofBacking = backing ? Math.round((100 * c.committedKb) / backing) : null;
      const ratio = c.ramKb ? Math.round((100 * (c.limitKb - (c.swapKb ?? 0))) / c.ramKb) : null;
      const explanation = [
        `${c.source}: committed ${kb(c.committedKb)} against a commit limit of ${kb(c.limitKb)}: ${ofLimit} % of the limit${ofBacking != null ? `, ${ofBacking} % of RAM${c.swapKb ? ' + swap' : ''} (${formatKb(backing)})` : ''}.`,
        ratio != null ? `The limit is ${ratio} % of RAM${c.swapKb ? ' plus swap' : ''}${ratio === 50 ? ', the default vm.overcommit_ratio' : ''}.` : '',
        'Committed memory is what processes have reserved (malloc, private writable mappings), not what they use: pages are only taken when first touched.',
        'With vm.overcommit_memory = 0 (the default heuristic) the kernel does not enforce the commit limit at all; it refuses only a single request larger than RAM + swap. So this did not make any allocation fail, and by itself it is not the cause of the problem.',
        `It is a warning sign: if the processes touched what they reserved, they would need ${ofBacking != null && ofBacking > 100 ? 'more memory than the machine has' : `${formatKb(c.committedKb)}`}, and the only way out then is the OOM killer. With vm.overcommit_memory = 2 the same requests would fail with ENOMEM instead.`,
      ].filter(Boolean).join(' ');
      return {
        rule: 'overcommit', severity: ofBacking != null && ofBacking > op.warningPercentOfBacking ? 'warning' : 'info',
        title: `Committed memory is ${ofLimit} % of the commit limit (${formatKb(c.committedKb)} of ${formatKb(c.limitKb)})`,
        explanation,
        incidents: [c.index],
        evidence: c.evidence.filter((e): e is EvidenceLine => e != null),
        data: { committedKb: c.committedKb, commitLimitKb: c.limitKb, committedPercentOfLimit: ofLimit, committedPercentOfRamAndSwap: ofBacking, totalKb: c.ramKb, swapTotalKb: c.swapKb },
        advice: ['Find who reserves the most (the VSZ column of ps/top, or Committed_AS growing over time) before it is touched; do not switch to vm.overcommit_memory = 2 without sizing the limit, since many programs reserve far more than they use.'],
      } satisfies Finding;
    });
  },
};
