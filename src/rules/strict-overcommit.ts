import type { EvidenceLine } from '../model/common.js';
import type { Finding } from '../model/finding.js';
import type { OvercommitRefusalIncident } from '../parse/kernel/overcommit/kind.js';
import type { EnomemLinesIncident, MeminfoSnapshotIncident, SysctlSnapshotIncident } from '../model/snapshot-incidents.js';
import { formatKb } from '../model/units.js';
import { optionsOf, type Rule, type RuleContext, type RuleMeta, type RuleOptions } from './types.js';
import { lineAt, lineIn, pct } from './util/snapshot-lines.js';

const meta: RuleMeta<'strict-overcommit'> = {
  id: 'strict-overcommit', severity: 'warning', role: 'cause', precedence: 15,
  description: 'vm.overcommit_memory=2: allocations refused with ENOMEM at CommitLimit although memory was free (no OOM report).',
  options: { nearLimitShare: { default: 0.9, description: 'Committed_AS at least this share of CommitLimit counts as at the limit' } },
};

/**
 * Under vm.overcommit_memory=2 the kernel refuses any private writable mapping that would take
 * Committed_AS over CommitLimit (swap + RAM × overcommit_ratio % − hugetlb, or overcommit_kbytes):
 * malloc returns NULL, fork fails, a JVM cannot commit its heap. Nothing is killed; the traces are
 * the programs' own errors, the two meminfo counters and, on 6.1+, the kernel's rate-limited
 * "__vm_enough_memory: pid: N, comm: X, [bytes: N] not enough memory" line (overcommit_refusal).
 * That line is printed in the heuristic mode 0 too, but there only for a single request larger than
 * RAM + swap (mm/util.c: pages > totalram + total_swap_pages), and mode 1 refuses nothing: a refusal
 * of no more than MemTotal + SwapTotal (6.9+ print the size) therefore proves mode 2.
 */
export const strictOvercommit: Rule = {
  meta,
  check(ctx: RuleContext, options?: RuleOptions): Finding[] {
    const o = optionsOf(meta, options);
    const inc = ctx.incidents;
    const sys = inc.filter((i): i is SysctlSnapshotIncident => i.kind === 'sysctl_snapshot' && i.overcommitMemory != null).at(-1) ?? null;
    const mode = sys?.overcommitMemory ?? null;
    if (mode != null && mode !== 2) return [];
    const errs = inc.filter((i): i is EnomemLinesIncident => i.kind === 'enomem_lines').flatMap((i) => i.entries.map((e) => ({ ...e, input: i.input })));
    const refusals = inc.filter((i): i is OvercommitRefusalIncident => i.kind === 'overcommit_refusal');
    const mems = inc.map((m, index) => ({ m, index })).filter((x): x is { m: MeminfoSnapshotIncident; index: number } => x.m.kind === 'meminfo_snapshot' && x.m.commitLimitKb != null && x.m.committedAsKb != null);
    const near = mems.find((x) => x.m.committedAsKb! >= x.m.commitLimitKb! * o.nearLimitShare) ?? null;
    // RAM + swap from a meminfo: a refused size at or below it is one mode 0 would have granted.
    const ram = inc.filter((i): i is MeminfoSnapshotIncident => i.kind === 'meminfo_snapshot' && i.memTotalKb != null && i.swapTotalKb != null).at(-1) ?? null;
    const ramSwapKb = ram ? ram.memTotalKb! + ram.swapTotalKb! : null;
    const proving = ramSwapKb != null ? refusals.find((r) => r.sizeBytes != null && r.sizeBytes <= ramSwapKb * 1024) ?? null : null;
    const strict = mode === 2 || proving != null;
    const refused = errs.length > 0 || refusals.length > 0;
    // With mode 2 proven, a snapshot far from the limit is still worth quoting: a refused request is
    // never added to Committed_AS, so the snapshot shows what was committed without it.
    const quoted = near ?? (strict ? mems.at(-1) ?? null : null);
    // Strict mode proven (by sysctl, or by a refused size mode 0 would have granted), or strongly
    // suggested: refusals (the programs' ENOMEM lines, the kernel's) while Committed_AS sat at the limit.
    if (!strict && !(refused && near)) return [];
    if (strict && !refused && !near) return [];
    const m = quoted?.m ?? null;
    const ev: (EvidenceLine | null)[] = [
      sys ? lineIn(ctx, sys, 'vm.overcommit_memory', true) : null,
      sys ? lineIn(ctx, sys, 'vm.overcommit_ratio', true) : null,
      ...[...new Set([proving, ...refusals].filter((r) => r != null))].slice(0, 2).map((r) => lineAt(ctx, r!.input, r!.line, '__vm_enough_memory')),
      ram && proving && mode !== 2 ? lineIn(ctx, ram, 'MemTotal:', true) : null, ram && proving && mode !== 2 ? lineIn(ctx, ram, 'SwapTotal:', true) : null,
      ...errs.slice(0, 2).map((e) => lineAt(ctx, e.input, e.line, e.text.slice(0, 20))),
      m ? lineIn(ctx, m, 'CommitLimit:', true) : null, m ? lineIn(ctx, m, 'Committed_AS:', true) : null,
    ];
    const ratio = sys?.overcommitRatio;
    const progs = [...new Set([...errs.map((e) => e.program), ...refusals.map((r) => r.comm)].filter(Boolean))];
    const suppressed = refusals.reduce((n, r) => n + (r.suppressedBefore ?? 0), 0);
    const sizeText = (r: OvercommitRefusalIncident): string => r.sizeBytes != null ? formatKb(Math.round(r.sizeBytes / 1024)) : 'a size it does not print';
    return [{
      rule: meta.id, severity: 'warning',
      title: `${mode === 2 ? 'Strict overcommit (vm.overcommit_memory = 2)' : proving ? 'Strict overcommit (vm.overcommit_memory = 2, told by the size refused)' : 'Likely strict overcommit'} refused memory${progs.length ? ` to ${progs.join(', ')}` : ''}${near ? `: committed ${formatKb(near.m.committedAsKb!)} of a ${formatKb(near.m.commitLimitKb!)} limit` : ''}`,
      explanation: [
        mode === 2 ? 'vm.overcommit_memory is 2: the kernel refuses any allocation that would take the committed total (Committed_AS) over CommitLimit, whatever is free.'
          : proving ? `The kernel refused ${proving.comm} (pid ${proving.pid}) ${sizeText(proving)} ("__vm_enough_memory" line), no more than RAM + swap (MemTotal ${ram!.memTotalKb} kB + SwapTotal ${ram!.swapTotalKb} kB in the meminfo): the default heuristic mode 0 refuses only a single request larger than that and mode 1 refuses none, so vm.overcommit_memory was 2 when it was refused; that mode refuses any allocation that would take Committed_AS over CommitLimit, whatever is free (\`sysctl vm.overcommit_memory\` confirms it).`
          : 'The input does not show vm.overcommit_memory, but programs got ENOMEM while Committed_AS sat at CommitLimit: that is what strict overcommit (mode 2) does; `sysctl vm.overcommit_memory` tells for sure.',
        m && near ? `Committed_AS ${m.committedAsKb} kB of CommitLimit ${m.commitLimitKb} kB (${pct(m.committedAsKb!, m.commitLimitKb!)}), while MemAvailable was ${m.memAvailableKb != null ? formatKb(m.memAvailableKb) : 'not shown'}: memory was there, the accounting limit was not.` : '',
        m && !near ? `The meminfo shows Committed_AS ${m.committedAsKb} kB of CommitLimit ${m.commitLimitKb} kB (${pct(m.committedAsKb!, m.commitLimitKb!)}) with MemAvailable ${m.memAvailableKb != null ? formatKb(m.memAvailableKb) : 'not shown'}: a refused request is never added to Committed_AS, so this is what was committed without it (and without whatever the failing program had committed itself if it was taken before it started); the request is what would have crossed the limit.` : '',
        ratio != null ? `CommitLimit = swap + RAM × vm.overcommit_ratio (${ratio} %)${ratio === 50 ? ', the default: half of RAM without swap' : ''}, minus the huge-page pool.` : '',
        refusals.length ? `The kernel logged ${refusals.length === 1 ? 'the refusal' : `${refusals.length} refusals`}: ${refusals.slice(0, 3).map((r) => `${r.comm} (pid ${r.pid}) ${sizeText(r)}`).join('; ')}${refusals.length > 3 ? '; …' : ''} (rate-limited: at most 10 lines per 5 s${suppressed ? `; it said ${suppressed} more were not printed` : ', then "callbacks suppressed"'}).` : '',
        errs.length ? `The programs saw it as: ${errs.slice(0, 3).map((e) => `"${e.text}"`).join('; ')}.${errs.some((e) => e.jvm) ? ' A JVM commits its initial heap (-Xms) at start and each heap expansion in one large step, and every thread stack counts in full, so it hits the limit long before it touches the memory.' : ''}` : '',
        'No process is killed and no OOM report is printed: the request simply fails (kernels from 6.1 log at most a rate-limited "__vm_enough_memory: … enough memory for the allocation" line; older ones nothing).',
      ].filter(Boolean).join(' '),
      incidents: [...new Set([sys, ...inc.filter((i) => i.kind === 'enomem_lines'), ...refusals, proving ? ram : null, m].filter((x) => x != null).map((x) => inc.indexOf(x!)))].filter((i) => i >= 0),
      evidence: ev.filter((e): e is EvidenceLine => e != null),
      data: { overcommitMemory: mode, overcommitRatio: ratio ?? null, commitLimitKb: m?.commitLimitKb ?? null, committedAsKb: m?.committedAsKb ?? null, programs: progs,
        strictFrom: mode === 2 ? 'sysctl' : proving ? 'refused-size' : null, refusedSizeBytes: refusals.map((r) => r.sizeBytes) },
      advice: ['Raise vm.overcommit_ratio (or set vm.overcommit_kbytes) so CommitLimit covers what the programs reserve, add swap (it counts in full), or go back to mode 0; for a JVM, size -Xmx and thread stacks to fit the limit.'],
    }];
  },
};
