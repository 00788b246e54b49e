import type { Finding } from '../model/finding.js';
import type { HungTaskIncident } from '../model/kernel-incidents.js';
import type { Rule, RuleContext } from './types.js';
import { chain, reliable, waitOf } from './util/frames.js';
import { capList, firstAndLast } from './util/cap.js';
import { headerEvidence, when } from './util/text.js';

const ADVICE: Record<string, string> = {
  fuse: 'Find the FUSE daemon serving that mount (its process and logs); restart it, or `umount -l` the mount, and the waiting tasks return with an error.',
  nfs: 'Check the NFS server and the network path to it; a `soft` mount option makes such waits time out.',
  memory: 'The task is stuck in the allocator: look at the memory findings (zones, OOM kills) for what ran out.',
  io: 'Check the disk (iostat -x, dmesg for IO errors); under memory pressure this is often page-cache thrashing rather than a bad disk.',
  lock: 'Find the lock holder: `echo w > /proc/sysrq-trigger` lists every blocked task with its stack; the one not waiting on the lock holds it.',
};

export const hungTask: Rule = {
  meta: { id: 'hung-task', role: 'mechanism', precedence: 60, severity: 'warning', description: 'Tasks blocked in uninterruptible sleep longer than the hung-task timeout, and what they waited for.' },
  check(ctx: RuleContext): Finding[] {
    const tasks = new Map<string, { index: number; inc: HungTaskIncident }[]>();
    ctx.incidents.forEach((inc, index) => {
      if (inc.kind !== 'hung_task') return;
      const k = `${inc.comm}:${inc.pid}`;
      const list = tasks.get(k);
      if (list) list.push({ index, inc });
      else tasks.set(k, [{ index, inc }]);
    });
    const out: Finding[] = [];
    for (const reports of tasks.values()) {
      const last = reports[reports.length - 1].inc;
      let withStack: HungTaskIncident | null = null;
      for (let i = reports.length - 1; i >= 0 && !withStack; i--) if (reports[i].inc.callTrace.length > 0) withStack = reports[i].inc;
      const maxSec = reports.reduce((m, r) => Math.max(m, r.inc.seconds), -Infinity);
      const wait = withStack ? waitOf(withStack.callTrace) : null;
      const explanation = [
        `${last.comm} (pid ${last.pid}) was blocked in uninterruptible sleep (state ${last.state ?? 'D'}) for more than ${maxSec} seconds${when(last)}`
          + (reports.length > 1 ? `; the kernel reported it ${reports.length} times (${capList(reports, (r) => `${r.inc.seconds} s`)}), so it stayed stuck.` : '.'),
        withStack
          ? wait
            ? `Its stack shows it ${wait.meaning}: ${chain(reliable(withStack.callTrace).slice(reliable(withStack.callTrace).indexOf(wait.frame)))}.`
            : `Its stack (${chain(reliable(withStack.callTrace))}) does not show a known kind of wait.`
          : 'The report\'s stack is not in the input (it was cut off), so what the task waited for is unknown.',
        'A task in this state cannot be interrupted or killed, not even by SIGKILL or the OOM killer, until what it waits for completes.',
        'It does not mean the kernel crashed or that this task is the culprit: it is the victim of whatever it waits for, and the message repeats while the wait lasts.',
      ].join(' ');
      out.push({
        rule: 'hung-task', severity: 'warning',
        title: `${last.comm} (pid ${last.pid}) blocked for more than ${maxSec} s${wait ? `: ${wait.meaning.split(':')[0].replace(/ \(.*\)/, '')}` : ''}`,
        explanation,
        incidents: reports.map((r) => r.index),
        evidence: firstAndLast(reports).map((r) => headerEvidence(ctx, r.inc)).concat(wait && withStack ? [ctx.evidence(withStack.input, wait.frame.line, wait.frame.fn)] : []),
        data: { comm: last.comm, pid: last.pid, blockedSec: maxSec, reports: reports.length, waitKind: wait?.kind ?? null, waitFunction: wait?.frame.fn ?? null, stackKnown: withStack != null },
        advice: wait ? [ADVICE[wait.kind]] : undefined,
      });
    }
    return out;
  },
};
