import type { Finding } from '../model/finding.js';
import type { MemcgInfo, OomKillIncident } from '../model/kernel-incidents.js';
import type { MemcgLimitFinding } from '../model/findings/memcg-limit.js';
import { optionsOf, type Rule, type RuleContext, type RuleOptions } from './types.js';
import { capList } from './util/cap.js';
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

/** What the cgroup's swap setting means, v1 (memory+swap limit) or v2 (swap: line = memory.swap.max). */
function swapSentence(m: MemcgInfo | null, memLimitKb: number | null): string {
  const memsw = m?.counters.find((c) => c.name === 'memory+swap') ?? null;
  const swap = m?.counters.find((c) => c.name === 'swap') ?? null;
  if (memsw?.limitKb != null) {
    if (memsw.limitKb >= UNLIMITED_KB) return 'Swap (v1 memory.memsw.limit_in_bytes): unlimited, so the cgroup could swap as much as the machine has swap; the report does not show whether it has any.';
    if (memLimitKb != null && memsw.limitKb <= memLimitKb) return 'Swap (v1): the memory+swap limit equals the memory limit, so this cgroup could not swap at all.';
    return `Swap (v1): memory+swap may reach ${kb(memsw.limitKb)}, so up to ${kb(memsw.limitKb - (memLimitKb ?? 0))} of it could be swapped out.`;
  }
  if (swap?.limitKb != null) {
    if (swap.limitKb === 0) return 'Swap (v2 memory.swap.max = 0): this cgroup may not swap at all.';
    if (swap.limitKb >= UNLIMITED_KB) return `Swap (v2 memory.swap.max = max): the cgroup may swap as much as the machine has${swap.usageKb === 0 ? '; it used none, so the machine has no swap or reclaim found nothing to swap' : ''}.`;
    return `Swap (v2): memory.swap.max is ${kb(swap.limitKb)}, of which ${swap.usageKb != null ? kb(swap.usageKb) : 'an unknown part'} was used.`;
  }
  return '';
}

/**
 * "mostly anonymous memory (99.7 %)" from the stats the report printed, or '' when it printed none.
 * The stat "file" (v2 names, and v1 reports since 5.x) includes shmem: tmpfs and shm pages are
 * counted apart here, because unlike page cache they cannot be dropped, only swapped or deleted.
 */
function filledBy(held: Record<string, number | null>, noSwap: boolean, m: MemcgInfo | null): string {
  const cacheKb = held.fileKb != null ? held.fileKb - (held.shmemKb ?? 0) : null;
  const parts = ([['anonymous memory', held.anonKb], ['page cache', cacheKb], ['shared memory (tmpfs, shm)', held.shmemKb], ['kernel memory', held.kernelKb]] as [string, number | null][]).filter((p): p is [string, number] => p[1] != null);
  const sum = parts.reduce((s, [, v]) => s + v, 0);
  if (parts.length < 2 || sum === 0) return '';
  const [name, v] = [...parts].sort((a, b) => b[1] - a[1])[0];
  const why: Record<string, string> = {
    'page cache': ': file pages are reclaimable, so the cgroup was filled by cache it could not evict fast enough or by dirty/writeback pages',
    'shared memory (tmpfs, shm)': `: files in a tmpfs (/dev/shm, /tmp on tmpfs, a container's emptyDir in memory) or SysV/POSIX shared memory written from inside the cgroup. They stay charged after the writer exits; killing processes does not free them, deleting the files does${noSwap ? ', and with no swap allowed they cannot be paged out either' : ''}`,
    'kernel memory': ': kernel objects charged to the cgroup (message queues, sockets, dentries, page tables) that killing a process frees only if it owned them',
  };
  // Dirty and writeback pages cannot be dropped until the disk has them (file_dirty, file_writeback
  // in v2 names; v1 reports before 5.x print dirty/writeback).
  const dirty = statKb(m, 'fileDirty', 'dirty'); const wb = statKb(m, 'fileWriteback', 'writeback');
  const stuck = name === 'page cache' && (dirty ?? 0) + (wb ?? 0) > 0
    ? ` Of it, ${wb != null ? `${kb(wb)} under writeback` : ''}${wb != null && dirty != null ? ' and ' : ''}${dirty != null ? `${kb(dirty)} dirty` : ''}: pages that cannot be dropped before the disk has them, so the cgroup filled faster than its disk wrote.`
    : '';
  return ` Mostly ${name} (${((100 * v) / sum).toFixed(1)} % of what it held)${why[name] ?? ''}.${stuck}`;
}

interface Kill { index: number; inc: OomKillIncident; path: string | null }

/** The finding for one kill: its limit, usage, failcnt, what the cgroup held, the victim. */
function killFinding(ctx: RuleContext, { index, inc, path }: Kill, thrashRefaults: number): MemcgLimitFinding {
  const m = inc.memcgInfo;
  const mem = m?.counters.find((c) => c.name === 'memory') ?? null;
  const others = m?.counters.filter((c) => c !== mem) ?? [];
  const held = { anonKb: statKb(m, 'rss', 'anon'), fileKb: statKb(m, 'cache', 'file'), shmemKb: statKb(m, 'shmem'), swapKb: statKb(m, 'swap'), kernelKb: statKb(m, 'kernel') };
  const refaults = m?.stats.workingsetRefaultFile ?? null;
  const v = inc.victim;
  // The victim's share of the limit counts its anon-rss, which is charged to its own cgroup unless
  // it was touched before the process moved in (then it can pass 100 %: said below); its file-rss
  // and shmem-rss may be pages first touched elsewhere (a shared library, the initramfs a static
  // binary runs from) and charged there.
  const victimShare = v.anonRssKb != null && mem?.limitKb != null && mem.limitKb < UNLIMITED_KB ? Math.round((1000 * v.anonRssKb) / mem.limitKb) / 10 : null;
  const row = inc.processTable?.all.find((t) => t.pid === v.pid);
  const victimSwapKb = row?.swapEntries != null && inc.pageSizeKb != null ? row.swapEntries * inc.pageSizeKb : null;
  const swapMax = others.find((c) => c.name === 'swap')?.limitKb ?? null;
  const memswMax = others.find((c) => c.name === 'memory+swap')?.limitKb ?? null;
  const noSwap = swapMax === 0 || (memswMax != null && mem?.limitKb != null && memswMax <= mem.limitKb);
  const explanation = [
    `This OOM kill${when(inc)} happened inside the memory cgroup ${path ?? '(path not printed)'}: the cgroup reached its own memory limit, and the kernel killed a process in it.`,
    mem ? `memory: usage ${mem.usageKb != null ? kb(mem.usageKb) : 'unknown'} against a limit of ${limitText(mem.limitKb)}${mem.usageKb != null && mem.limitKb ? ` (${((100 * mem.usageKb) / mem.limitKb).toFixed(1)} %)` : ''}; failcnt ${mem.failcnt ?? 'unknown'} (how many times a charge hit the limit and had to reclaim inside the cgroup first).`
      : 'The memory: usage/limit lines of this report are not in the input, so the limit is unknown here.',
    ...others.map((c) => `${c.name}: usage ${c.usageKb != null ? kb(c.usageKb) : 'unknown'}, ${c.limitKb != null && c.limitKb >= UNLIMITED_KB ? 'no limit' : `limit ${limitText(c.limitKb)}`}.`),
    m && Object.keys(m.stats).length ? `The cgroup held: anonymous ${held.anonKb != null ? kb(held.anonKb) : 'unknown'}, page cache ${held.fileKb != null ? kb(held.fileKb - (held.shmemKb ?? 0)) : 'unknown'}${held.shmemKb ? ' (not counting shmem)' : ''}, shmem ${held.shmemKb != null ? kb(held.shmemKb) : 'unknown'}${held.swapKb != null ? `, swap ${kb(held.swapKb)}` : ''}${held.kernelKb != null ? `, kernel ${kb(held.kernelKb)}` : ''}.${filledBy(held, noSwap, m)}` : '',
    swapSentence(m, mem?.limitKb ?? null),
    refaults != null && refaults >= thrashRefaults ? `${refaults} page-cache refaults: before the kill the cgroup kept evicting and re-reading its own file pages (thrashing inside its limit).` : '',
    v.pid != null ? `Victim: ${v.comm ?? '?'} (pid ${v.pid})${v.anonRssKb != null ? `, anon-rss ${kb(v.anonRssKb)}${victimShare != null ? ` (${victimShare} % of the limit)` : ''}` : ''}${v.fileRssKb != null ? `, file-rss ${kb(v.fileRssKb)}` : ''}${victimSwapKb ? `, ${kb(victimSwapKb)} in swap (the task table's swapents)` : ''}${inc.processTable ? `, chosen among the ${inc.processTable.rows} tasks of the cgroup` : ''}.` : '',
    // anon-rss counts every anonymous page the process maps; a cgroup is charged only for pages
    // first touched while the process was in it. Charges do not follow a process that is moved
    // (cgroup v2 never moves them, v1 only with memory.move_charge_at_immigrate).
    v.anonRssKb != null && mem?.limitKb != null && mem.limitKb < UNLIMITED_KB && v.anonRssKb > mem.limitKb
      ? `Its anon-rss alone is more than the cgroup's whole limit, so part of its memory is charged to another cgroup: most often the pages it touched before it was moved into ${path ?? 'this cgroup'}, which stay charged where they were (cgroup v2 never moves charges; v1 only with memory.move_charge_at_immigrate). This limit only caught what it allocated after the move; the process itself is ${kb(v.anonRssKb)} of anonymous memory.`
      : '',
    'The machine as a whole was not out of memory: only this cgroup hit the limit it was given, and processes outside it were not affected. Free memory elsewhere on the machine could not help, because the limit is the cgroup\'s.',
  ].filter(Boolean).join(' ');
  return {
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
      ...held, workingsetRefaultFile: refaults, victimPid: v.pid, victimComm: v.comm, victimAnonRssKb: v.anonRssKb, victimPercentOfLimit: victimShare, victimSwapKb, tasks: inc.processTable?.rows ?? null,
    },
    advice: ['Raise the cgroup\'s limit (memory.limit_in_bytes in v1, memory.max in v2) if the workload needs it, or find why the program grew to the limit.'],
  };
}

const pathOf = (inc: OomKillIncident): string | null => inc.memcg ?? inc.memcgInfo?.limitOf ?? inc.memcgInfo?.statsFor ?? null;

/**
 * Kills of one program in one cgroup, as one finding: how many, when, which pids (capped), the
 * limits seen, and the last kill in detail; evidence from the first and the last kill. A
 * flapping container killed 50,000 times gives one finding, not 50,000 (issue 10).
 */
function groupFinding(ctx: RuleContext, kills: Kill[], thrashRefaults: number): MemcgLimitFinding {
  const first = kills[0], last = kills[kills.length - 1];
  const f = killFinding(ctx, last, thrashRefaults);
  const comm = last.inc.victim.comm ?? 'a process';
  const at = (k: Kill): string => when(k.inc).replace(/^ at /, '') || `line ${k.inc.line}`;
  const limits = [...new Set(kills.map((k) => k.inc.memcgInfo?.counters.find((c) => c.name === 'memory')?.limitKb ?? null))];
  const pids = kills.map((k) => k.inc.victim.pid);
  const killed = (k: Kill) => (k.inc.victim.line != null ? ctx.evidence(k.inc.input, k.inc.victim.line, 'Killed process') : null);
  // The first kill's header and "Killed process" line, then the last one's, then its counters.
  const evidence = uniqueEvidence([headerEvidence(ctx, first.inc), killed(first), f.evidence[0], killed(last), ...f.evidence]);
  return {
    ...f,
    title: last.path ? `Memory cgroup ${last.path} hit its limit ${kills.length} times; ${comm} was killed each time`
      : `Memory cgroups not named in the reports hit their limits ${kills.length} times; ${comm} was killed each time`,
    explanation: [
      `The OOM killer killed ${comm} ${kills.length} times inside ${last.path ? `the memory cgroup ${last.path}` : 'memory cgroups whose path the reports do not print (one or several)'}, from ${at(first)} to ${at(last)} (pids ${capList(pids, (p) => String(p ?? '?'))}).`,
      `The cgroup's memory limit${limits.length > 1 ? 's' : ''} at these kills: ${capList(limits, limitText)}.`,
      'Something restarts the program in the same cgroup and it grows to the limit again. The last kill in detail:',
      f.explanation,
    ].join(' '),
    incidents: kills.map((k) => k.index),
    evidence,
    data: { ...f.data!, kills: kills.length, pids, limitsKb: limits, firstIncident: first.index, lastIncident: last.index },
  };
}

export const memcgLimit: Rule = {
  meta: {
    id: 'memcg-limit', role: 'cause', precedence: 50, severity: 'critical', description: 'An OOM kill inside a memory cgroup that reached its own limit: limit, usage, failcnt, what it held; repeated kills of one program in one cgroup as one finding.',
    options: {
      thrashRefaults: { default: 10000, description: 'workingset_refault_file count from which the cgroup is said to have thrashed inside its limit' },
      groupKills: { default: 2, description: 'kills of one program in one cgroup from which they are reported as one finding (below it: one finding per kill)' },
    },
  },
  check(ctx: RuleContext, options?: RuleOptions): Finding[] {
    const o = optionsOf(memcgLimit.meta, options);
    const groups = new Map<string, Kill[]>();
    ctx.incidents.forEach((i, index) => {
      if (i.kind !== 'oom_kill' || !(i.cgroupOom || i.constraint === 'CONSTRAINT_MEMCG')) return;
      const path = pathOf(i);
      // A kill whose victim is not named is never grouped; kills of one program whose cgroup is
      // not named (cut reports) are, as such: the title does not claim they were one cgroup.
      const key = i.victim.comm != null ? JSON.stringify([path, i.victim.comm]) : `#${index}`;
      const list = groups.get(key);
      if (list) list.push({ index, inc: i, path });
      else groups.set(key, [{ index, inc: i, path }]);
    });
    const out: Finding[] = [];
    for (const kills of groups.values()) {
      if (kills.length >= o.groupKills) out.push(groupFinding(ctx, kills, o.thrashRefaults));
      else for (const k of kills) out.push(killFinding(ctx, k, o.thrashRefaults));
    }
    // In the order of the kills (a group at its first), as one finding per kill was.
    return out.sort((a, b) => a.incidents[0] - b.incidents[0]);
  },
};
