import type { Finding } from '../model/finding.js';
import type { OomKillIncident } from '../model/kernel-incidents.js';
import type { Rule, RuleContext } from './types.js';
import { capList, firstAndLast } from './util/cap.js';
import { kb } from './util/text.js';

interface Kill { index: number; inc: OomKillIncident }

/** Seconds of each kill on one clock: wall clock when every kill has one, else uptime, else null. */
function clock(kills: Kill[]): { secs: number[]; source: 'time' | 'uptime' } | null {
  const wall = kills.map((k) => (k.inc.time ? Date.parse(k.inc.time.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) / 1000 : NaN));
  if (wall.every((t) => Number.isFinite(t))) return { secs: wall, source: 'time' };
  const up = kills.map((k) => k.inc.uptimeSec);
  // Uptime restarts at each boot: only usable while it keeps growing.
  if (up.every((t, i) => t != null && (i === 0 || t >= (up[i - 1] ?? 0)))) return { secs: up as number[], source: 'uptime' };
  return null;
}

const dur = (s: number): string => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);

export const repeatedOomVictim: Rule = {
  meta: { id: 'repeated-oom-victim', role: 'cause', precedence: 60, severity: 'warning', description: 'The same program was killed by the OOM killer two or more times.' },
  check(ctx: RuleContext): Finding[] {
    const byComm = new Map<string, Kill[]>();
    ctx.incidents.forEach((inc, index) => {
      if (inc.kind !== 'oom_kill' || !inc.victim.comm) return;
      const list = byComm.get(inc.victim.comm) ?? [];
      list.push({ index, inc });
      byComm.set(inc.victim.comm, list);
    });
    const out: Finding[] = [];
    for (const [comm, kills] of byComm) {
      if (kills.length < 2) continue;
      const c = clock(kills);
      const spanSec = c ? Math.round((c.secs[c.secs.length - 1] - c.secs[0]) * 1000) / 1000 : null;
      const meanIntervalSec = spanSec != null ? Math.round((spanSec / (kills.length - 1)) * 1000) / 1000 : null;
      const pids = kills.map((k) => k.inc.victim.pid);
      const anon = kills.map((k) => k.inc.victim.anonRssKb).filter((x): x is number => x != null);
      const cgroups = [...new Set(kills.map((k) => k.inc.memcg).filter((x): x is string => x != null))];
      const explanation = [
        `The OOM killer killed ${comm} ${kills.length} times (pids ${capList(pids, (p) => String(p ?? '?'))})`
          + (spanSec != null && meanIntervalSec != null ? ` over ${dur(spanSec)} (${spanSec} s by the ${c!.source === 'time' ? 'wall clock' : 'kernel uptime clock'}), one kill every ${dur(meanIntervalSec)} on average.` : '; the log does not give their times on one clock, so the span is unknown.'),
        anon.length ? `Its anonymous memory when killed: ${capList(anon, kb)}.` : '',
        cgroups.length ? `Memory cgroup${cgroups.length > 1 ? 's' : ''}: ${capList(cgroups, (x) => x)}.` : '',
        'Something restarts it (a supervisor, a job queue, a user) and it grows back to the same size: killing it does not remove the cause. Either the program needs more memory than the machine or cgroup gives it, or it leaks.',
        'It does not by itself say why memory ran out each time: the zone or cgroup numbers of each kill (other findings) do.',
      ].filter(Boolean).join(' ');
      out.push({
        rule: 'repeated-oom-victim', severity: 'warning',
        title: `${comm} was OOM-killed ${kills.length} times${spanSec != null ? ` in ${dur(spanSec)}` : ''}`,
        explanation,
        incidents: kills.map((k) => k.index),
        // The first and last kills: the span is visible without quoting 10,000 lines.
        evidence: firstAndLast(kills).map((k) => ctx.evidence(k.inc.input, k.inc.victim.line ?? k.inc.line, 'Killed process')),
        data: { comm, kills: kills.length, pids, spanSec, meanIntervalSec, clock: c?.source ?? null, anonRssKb: anon, memcgs: cgroups },
        advice: [`Give ${comm} a memory limit it can live within (or more memory), and check whether its usage grows without bound between restarts.`],
      });
    }
    return out;
  },
};
