import type { EvidenceLine } from '../model/common.js';
import type { Finding } from '../model/finding.js';
import type { Rule, RuleContext } from './types.js';
import { lineAt, lineIn } from './util/snapshot-lines.js';
import { capList } from './util/cap.js';
import { uniqueEvidence } from './util/text.js';

interface Protected { comm: string; pid: number | null; adj: number; rssPages: number | null; field: string; index: number; ev: EvidenceLine | null; seen: number; lastEv: EvidenceLine | null }

function adjMeaning(adj: number): string {
  return adj <= -1000 ? 'exempt: the OOM killer never chooses it (OOM_SCORE_ADJ_MIN)'
    : 'its badness is lowered by 99.8 % of RAM, so the OOM killer chooses it only when nothing else is left';
}

/**
 * One entry per protected task (comm, pid, value), however many OOM reports list it: a flapping
 * node prints the same two daemons in each of 10,000 task tables. `seen` counts the reports.
 */
function protectedTasks(ctx: RuleContext): Protected[] {
  const byKey = new Map<string, Protected>();
  const out = {
    push(p: Omit<Protected, 'seen' | 'lastEv'>): void {
      const k = `${p.comm}\0${p.pid}\0${p.adj}\0${p.field}`;
      const had = byKey.get(k);
      if (had) { had.seen++; had.lastEv = p.ev; } else byKey.set(k, { ...p, seen: 1, lastEv: null });
    },
  };
  ctx.incidents.forEach((inc, index) => {
    if (inc.kind === 'oom_kill' && inc.processTable) {
      for (const r of inc.processTable.all) {
        if (r.oomScoreAdj != null && r.oomScoreAdj <= -998) out.push({ comm: r.comm, pid: r.pid, adj: r.oomScoreAdj, rssPages: r.rssPages, field: 'oom_score_adj', index, ev: lineAt(ctx, inc.input, r.line, ` ${r.comm}`) });
      }
    } else if (inc.kind === 'crash_struct') {
      for (const f of inc.fields.filter((x) => /(^|\.)oom_score_adj(_min)?$/.test(x.path) && x.number != null && x.number <= -998)) {
        // "task -R signal" printed the signal_struct address this print was made from: it names the task.
        const owner = ctx.incidents.find((x) => x.kind === 'crash_struct' && x.task && x.fields.some((y) => y.path === 'signal' && y.value === inc.address));
        const task = owner?.kind === 'crash_struct' ? owner.task : inc.task;
        out.push({ comm: task?.comm ?? '(unknown task)', pid: task?.pid ?? null, adj: f.number!, rssPages: null, field: f.path, index, ev: lineAt(ctx, inc.input, f.line, f.path.split('.').pop()!) });
      }
    }
  });
  return [...byKey.values()];
}

interface Stuck { comm: string; pid: number | null; where: string; index: number; ev: EvidenceLine | null }

function stuckTasks(ctx: RuleContext): { tasks: Stuck[]; counted: { count: number; index: number; ev: EvidenceLine | null } | null } {
  const tasks: Stuck[] = [];
  let counted: { count: number; index: number; ev: EvidenceLine | null } | null = null;
  const pids = new Set<number>();
  const add = (t: Stuck): void => {
    if (t.pid != null) {
      if (pids.has(t.pid)) return;
      pids.add(t.pid);
    }
    tasks.push(t);
  };
  for (const [index, inc] of ctx.incidents.entries()) {
    if (inc.kind === 'sysrq_blocked' || inc.kind === 'sysrq_show_state') {
      for (const t of inc.tasks.filter((x) => x.state?.startsWith('D'))) add({ comm: t.comm, pid: t.pid, where: 'sysrq w', index, ev: lineAt(ctx, inc.input, t.line, t.comm) });
    } else if (inc.kind === 'crash_ps') {
      for (const t of inc.tasks.filter((x) => x.state === 'UN')) add({ comm: t.comm ?? '?', pid: t.pid, where: 'crash ps', index, ev: lineAt(ctx, inc.input, t.line, 'UN') });
    } else if (inc.kind === 'crash_count' && inc.taskState === 'UN') {
      counted = { count: inc.count, index, ev: lineIn(ctx, inc, 'UN') };
    } else if (inc.kind === 'top_snapshot' || inc.kind === 'ps_snapshot') {
      for (const p of inc.processes.filter((x) => x.stat?.startsWith('D'))) add({ comm: p.command, pid: p.pid, where: inc.kind === 'top_snapshot' ? 'top' : 'ps', index, ev: lineAt(ctx, inc.input, p.line, p.command) });
    }
  }
  return { tasks, counted };
}

export const unkillableTask: Rule = {
  meta: { id: 'unkillable-task', role: 'context', precedence: 50, severity: 'warning', description: 'Tasks the OOM killer cannot help with: oom_score_adj -1000/-998, or stuck in D (uninterruptible) state.' },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const prot = protectedTasks(ctx);
    if (prot.length) {
      out.push({
        rule: 'unkillable-task', severity: 'info',
        title: `${prot.length} task${prot.length > 1 ? 's are' : ' is'} protected from the OOM killer (${capList(prot, (p) => `${p.comm} ${p.adj}`, 8)})`,
        explanation: [
          ...prot.slice(0, 10).map((p) => `${p.comm}${p.pid != null ? ` (pid ${p.pid})` : ''} has ${p.field} = ${p.adj}${p.rssPages != null ? ` and ${p.rssPages} pages resident` : ''}: ${adjMeaning(p.adj)}${p.seen > 1 ? ` (listed in ${p.seen} reports)` : ''}.`),
          prot.length > 10 ? `… and ${prot.length - 10} more protected tasks.` : '',
          prot.some((p) => p.field.endsWith('oom_score_adj_min')) ? 'oom_score_adj_min is recorded when a privileged process sets oom_score_adj, so the task was deliberately protected with that value.' : '',
          'Protecting small system daemons (sshd, udevd) is normal and keeps the machine reachable. It becomes a problem when a protected task is the one holding the memory: the OOM killer then kills everything else first, or finds nothing it may kill.',
        ].filter(Boolean).join(' '),
        incidents: [...new Set(prot.map((p) => p.index))],
        evidence: uniqueEvidence(prot.slice(0, 12).flatMap((p) => [p.ev, p.lastEv])),
        data: { tasks: prot.map((p) => ({ comm: p.comm, pid: p.pid, oomScoreAdj: p.adj, field: p.field, rssPages: p.rssPages, reports: p.seen })) },
      });
    }
    const { tasks, counted } = stuckTasks(ctx);
    const n = Math.max(tasks.length, counted?.count ?? 0);
    if (n > 0) {
      const names = [...new Set(tasks.map((t) => t.comm))];
      out.push({
        rule: 'unkillable-task', severity: n >= 10 ? 'warning' : 'info',
        title: `${n} task${n > 1 ? 's' : ''} stuck in D (uninterruptible) state${names.length ? `: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}` : ''}`,
        explanation: [
          counted ? `crash counted ${counted.count} tasks in UN state.` : '',
          tasks.length ? `Listed in D state: ${tasks.slice(0, 10).map((t) => `${t.comm}${t.pid != null ? ` ${t.pid}` : ''} (${t.where})`).join(', ')}${tasks.length > 10 ? ', …' : ''}.` : '',
          'A task in D state does not act on any signal, SIGKILL included, until the wait it sleeps in ends. The OOM killer can mark it, but it will not exit (since 4.6 the oom_reaper can still take its anonymous memory, unless the task holds its mm lock): killing does not help while the wait lasts.',
          'It does not mean these tasks are the culprits: they wait for something else (disk, a lock, memory); the other findings say what.',
        ].filter(Boolean).join(' '),
        incidents: [...new Set([...tasks.map((t) => t.index), ...(counted ? [counted.index] : [])])],
        evidence: uniqueEvidence([counted?.ev ?? null, ...tasks.slice(0, 6).map((t) => t.ev)]),
        data: { dStateTasks: n, counted: counted?.count ?? null, tasks: tasks.map((t) => ({ comm: t.comm, pid: t.pid, source: t.where })) },
      });
    }
    return out;
  },
};
