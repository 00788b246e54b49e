import type { Finding } from '../model/finding.js';
import type { MemcgInfo, OomKillIncident } from '../model/kernel-incidents.js';
import type { Rule, RuleContext } from './types.js';
import { evidenceNear, headerEvidence, kb, uniqueEvidence, when } from './util/text.js';

/** v1 prints "no limit" as PAGE_COUNTER_MAX pages in kB (9007199254740988kB on x86_64). */
const UNLIMITED_KB = 2 ** 50;
const limitText = (k: number | null): string => (k == null ? 'unknown' : k >= UNLIMITED_KB ? 'no limit' : kb(k));

/** memcg stat in kB: 6.x v1 prints bytes (rss 66883584), 4.x prints kB (rss:1234KB), v2 anon/file. */
function statKb(m: MemcgInfo | null, ...names: string[]): number | null {
  for (const n of names) {
    const b = m?.stats[`${n}Bytes`];
    if (b != null) return Math.round(b / 1024);
    const k = m?.stats[`${n}Kb`];
    if (k != null) return k;
  }
  return null;
}

export const memcgLimit: Rule = {
  meta: { id: 'memcg-limit', role: 'cause', precedence: 50, severity: 'critical', description: 'An OOM kill inside a memory cgroup that reached its own limit: limit, usage, failcnt, what it held.' },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    ctx.incidents.forEach((i, index) => {
      if (i.kind !== 'oom_kill' || !(i.cgroupOom || i.constraint === 'CONSTRAINT_MEMCG')) return;
      const inc: OomKillIncident = i;
      const m = inc.memcgInfo;
      const path = inc.memcg ?? m?.limitOf ?? m?.statsFor ?? null;
      const mem = m?.counters.find((c) => c.name === 'memory') ?? null;
      const others = m?.counters.filter((c) => c !== mem) ?? [];
      const held = { anonKb: statKb(m, 'rss', 'anon'), fileKb: statKb(m, 'cache', 'file'), shmemKb: statKb(m, 'shmem'), swapKb: statKb(m, 'swap'), kernelKb: statKb(m, 'kernel') };
      const refaults = m?.stats.workingsetRefaultFile ?? null;
      const v = inc.victim;
      const explanation = [
        `This OOM kill${when(inc)} happened inside the memory cgroup ${path ?? '(path not printed)'}: the cgroup reached its own memory limit, and the kernel killed a process in it.`,
        mem ? `memory: usage ${mem.usageKb != null ? kb(mem.usageKb) : 'unknown'} against a limit of ${limitText(mem.limitKb)}${mem.usageKb != null && mem.limitKb ? ` (${((100 * mem.usageKb) / mem.limitKb).toFixed(1)} %)` : ''}; failcnt ${mem.failcnt ?? 'unknown'} (how many times a charge hit the limit and had to reclaim inside the cgroup first).`
          : 'The memory: usage/limit lines of this report are not in the input, so the limit is unknown here.',
        ...others.map((c) => `${c.name}: usage ${c.usageKb != null ? kb(c.usageKb) : 'unknown'}, ${c.limitKb != null && c.limitKb >= UNLIMITED_KB ? 'no limit' : `limit ${limitText(c.limitKb)}`}.`),
        m && Object.keys(m.stats).length ? `The cgroup held: anonymous ${held.anonKb != null ? kb(held.anonKb) : 'unknown'}, page cache ${held.fileKb != null ? kb(held.fileKb) : 'unknown'}, shmem ${held.shmemKb != null ? kb(held.shmemKb) : 'unknown'}${held.swapKb != null ? `, swap ${kb(held.swapKb)}` : ''}${held.kernelKb != null ? `, kernel ${kb(held.kernelKb)}` : ''}.` : '',
        refaults != null && refaults >= 10000 ? `${refaults} page-cache refaults: before the kill the cgroup kept evicting and re-reading its own file pages (thrashing inside its limit).` : '',
        v.pid != null ? `Victim: ${v.comm ?? '?'} (pid ${v.pid})${v.anonRssKb != null ? `, anon-rss ${kb(v.anonRssKb)}` : ''}${v.fileRssKb != null ? `, file-rss ${kb(v.fileRssKb)}` : ''}${inc.processTable ? `, chosen among the ${inc.processTable.rows} tasks of the cgroup` : ''}.` : '',
        'The machine as a whole was not out of memory: only this cgroup hit the limit it was given, and processes outside it were not affected. Free memory elsewhere on the machine could not help, because the limit is the cgroup\'s.',
      ].filter(Boolean).join(' ');
      out.push({
        rule: 'memcg-limit', severity: 'critical',
        title: `${path ? `Memory cgroup ${path}` : 'A memory cgroup'} hit its limit${mem?.limitKb != null && mem.limitKb < UNLIMITED_KB ? ` of ${kb(mem.limitKb)}` : ''}; ${v.comm ?? 'a process'}${v.pid != null ? ` (pid ${v.pid})` : ''} was killed`,
        explanation,
        incidents: [index],
        evidence: uniqueEvidence([
          headerEvidence(ctx, inc),
          ...(m?.counters ?? []).map((c) => evidenceNear(ctx, inc.input, c.line, `${c.name}: usage`, 0)),
          evidenceNear(ctx, inc.input, inc.line, 'oom-kill:constraint=', inc.endLine - inc.line),
          v.line != null ? ctx.evidence(inc.input, v.line, 'Killed process') : null,
        ]),
        data: {
          memcg: path, limitKb: mem?.limitKb ?? null, usageKb: mem?.usageKb ?? null, failcnt: mem?.failcnt ?? null,
          memswLimitKb: others.find((c) => c.name === 'memory+swap')?.limitKb ?? null, kmemUsageKb: others.find((c) => c.name === 'kmem')?.usageKb ?? null,
          ...held, workingsetRefaultFile: refaults, victimPid: v.pid, victimComm: v.comm, victimAnonRssKb: v.anonRssKb, tasks: inc.processTable?.rows ?? null,
        },
        advice: ['Raise the cgroup\'s limit (memory.limit_in_bytes in v1, memory.max in v2) if the workload needs it, or find why the program grew to the limit.'],
      });
    });
    return out;
  },
};
