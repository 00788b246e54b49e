import type { Trigger, Victim } from '../../../model/kernel-incidents.js';

/**
 * Single lines of an OOM report whose wording changed over the years.
 */

// "tor invoked oom-killer: gfp_mask=0x24201ca(GFP_HIGHUSER_MOVABLE|__GFP_COLD), nodemask=0, order=0, oom_score_adj=0"
// 2.6.32: "… gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0"; 2.6.18: "… order=0, oomkilladj=0"
export const HEADER_RE = /^\s*(.*?) invoked oom-killer: (.*)$/;

export function parseHeader(msg: string, line: number): Trigger | null {
  // Every line of a report is tried: a literal first (the pattern's lazy start is slow to fail),
  // one that starts with a rare character (a search for " invoked…" stops at every space: 4x slower).
  if (!msg.includes('-killer: ')) return null;
  const m = HEADER_RE.exec(msg);
  if (!m) return null;
  const kv: Record<string, string> = {};
  for (const part of m[2].split(/,\s*(?=[a-z_]+=)/)) {
    const eq = part.indexOf('=');
    if (eq > 0) kv[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  const gfp = /^(0x[0-9a-f]+)(?:\((.*)\))?/.exec(kv.gfp_mask ?? '');
  const num = (s: string | undefined): number | null => (s != null && /^-?\d+$/.test(s) ? Number(s) : null);
  return {
    comm: m[1],
    pid: null,
    gfpMask: gfp ? gfp[1] : null,
    gfpFlags: gfp && gfp[2] ? gfp[2].split('|') : null,
    order: num(kv.order),
    oomScoreAdj: num(kv.oom_score_adj),
    oomAdj: num(kv.oom_adj ?? kv.oomkilladj),
    nodemask: kv.nodemask ?? null,
    line,
  };
}

// 2.6–4.x: "Out of memory: Kill process 1439 (tor) score 368 or sacrifice child"
// 2.6.3x:  "Out of memory: kill process 1234 (foo) score 12 or a child"
// memcg:   "Memory cgroup out of memory: Kill process 1234 (foo) score 1000 or sacrifice child"
export const SELECT_RE = /^\s*(?:Out of memory(?: \([^)]*\))?|Memory cgroup out of memory): [Kk]ill process (\d+) \((.*)\) score (-?\d+)/;
// "Killed process 1439 (tor) total-vm:557104kB, anon-rss:374956kB, file-rss:0kB, shmem-rss:0kB"
// 5.x+:   "Out of memory: Killed process 2822 (python3) total-vm:…kB, anon-rss:…kB, file-rss:…kB, shmem-rss:0kB, UID:0 pgtables:188kB oom_score_adj:0"
// 2.6.32: "Killed process 1234, UID 0, (foo) total-vm:…kB, anon-rss:…kB, file-rss:…kB"
// 2.6.18: "Killed process 1234 (foo)"
export const KILLED_RE = /^\s*(?:(?:Out of memory|Memory cgroup out of memory)(?: \([^)]*\))?: )?Killed process (\d+)(?:, UID (\d+),)? \((.*?)\)(.*)$/;

/** "name:NNNkB" patterns by name, each made once (a RegExp built per field per report, issue 10). */
const KB_FIELDS = new Map<string, RegExp>();

export function kbField(rest: string, name: string): number | null {
  let re = KB_FIELDS.get(name);
  if (!re) KB_FIELDS.set(name, (re = new RegExp(`${name}:(\\d+)kB`)));
  const m = re.exec(rest);
  return m ? Number(m[1]) : null;
}

export function parseKilled(msg: string, line: number): (Victim & { cgroupOom: boolean }) | null {
  const m = KILLED_RE.exec(msg);
  if (!m) return null;
  const rest = m[4];
  const uid = /UID:(\d+)/.exec(rest);
  const adj = /oom_score_adj:(-?\d+)/.exec(rest);
  return {
    pid: Number(m[1]), comm: m[3],
    totalVmKb: kbField(rest, 'total-vm') ?? kbField(rest, 'vsz'),
    anonRssKb: kbField(rest, 'anon-rss'), fileRssKb: kbField(rest, 'file-rss'), shmemRssKb: kbField(rest, 'shmem-rss'),
    pgtablesKb: kbField(rest, 'pgtables'),
    uid: uid ? Number(uid[1]) : m[2] != null ? Number(m[2]) : null,
    oomScoreAdj: adj ? Number(adj[1]) : null,
    score: null, reaped: null, line,
    cgroupOom: /^\s*Memory cgroup out of memory/.test(msg),
  };
}

// memory.oom.group (cgroup v2, 4.19+): after its victim the kernel kills every task of the group,
// one "Killed process" line each, under this line; the victim is printed twice.
// (Only its start is matched: a mail wrap may have moved the rest to the next line.)
export const OOM_GROUP_RE = /^\s*Tasks in (\S+) are going to be killed/;

// "oom_reaper: reaped process 1439 (tor), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB"
export const REAPER_RE = /^\s*oom_reaper: reaped process (\d+) \((.*?)\), now (.*)$/;

// "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/mt,task_memcg=/mt,task=python3,pid=2822,uid=0"
export function parseOomKillLine(msg: string): Record<string, string> | null {
  if (!msg.includes('-kill:')) return null; // (every line is tried: a rare first character searches fastest)
  const i = msg.indexOf('oom-kill:');
  if (i === -1) return null;
  const kv: Record<string, string> = {};
  // Values can hold commas only in cpuset/mems lists ("mems_allowed=0-1,3"); split before key=.
  for (const part of msg.slice(i + 9).split(/,(?=[a-z_]+=)/)) {
    const eq = part.indexOf('=');
    if (eq > 0) kv[part.slice(0, eq)] = part.slice(eq + 1).trim();
  }
  return kv;
}
