import { readdirSync } from 'node:fs';
import type { WatchedCgroup } from './discover.js';
import type { CounterFiles } from './files.js';
import type { PidReader } from './pid-reader.js';
import type { ProcessCounters } from './sample.js';

/** Pure: /proc/PID/stat → comm, majflt, starttime. comm sits in parentheses and may hold spaces and ")". */
export function parseStat(text: string | null): { comm: string; majflt: number | null; startTicks: number | null } | null {
  if (!text) return null;
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state): field n is rest[n - 3]. majflt is field 12, starttime 22.
  const num = (i: number) => (rest[i] !== undefined && /^\d+$/.test(rest[i]) ? Number(rest[i]) : null);
  return { comm: text.slice(open + 1, close), majflt: num(9), startTicks: num(19) };
}

const kbLine = (text: string | null, key: string): number | null => {
  const m = text ? new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text) : null;
  return m ? Number(m[1]) * 1024 : null;
};

/** Pure: the four files of one process → its counters; null when stat is gone (it exited). */
export function processCounters(pid: number, cgroup: string, stat: string | null, status: string | null, io: string | null, adj: string | null): ProcessCounters | null {
  const s = parseStat(stat);
  if (!s) return null;
  const rchar = io ? /^rchar:\s+(\d+)/m.exec(io) : null;
  const adjN = adj != null && /^-?\d+\s*$/.test(adj) ? Number(adj) : null;
  return {
    pid, comm: s.comm, cgroup, startTicks: s.startTicks, anonBytes: kbLine(status, 'RssAnon'), rssFileBytes: kbLine(status, 'RssFile'),
    rcharBytes: rchar ? Number(rchar[1]) : null, majflt: s.majflt, oomScoreAdj: adjN,
  };
}

/** Members of a cgroup and its descendants from cgroup.procs (cgroupfs: never blocks), bounded. */
export function subtreePids(files: CounterFiles, w: WatchedCgroup, maxPids: number): { pid: number; cgroup: string }[] {
  if (w.cgroup === '/') {
    // The whole machine: every process. readdir of /proc lists pids without touching any mm.
    let names: string[] = [];
    try {
      names = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
    } catch { /* no /proc */ }
    return names.slice(0, maxPids).map((n) => ({ pid: Number(n), cgroup: '/' }));
  }
  const root = w.v1Dir ?? w.v2Dir;
  if (!root) return [];
  const out: { pid: number; cgroup: string }[] = [];
  const queue: [string, string][] = [[root, w.cgroup]];
  let dirs = 0;
  while (queue.length > 0 && out.length < maxPids && dirs++ < 256) {
    const [dir, rel] = queue.shift()!;
    for (const line of (files.read(`${dir}/cgroup.procs`) ?? '').split('\n')) if (/^\d+$/.test(line)) out.push({ pid: Number(line), cgroup: rel });
    for (const name of files.list(dir) ?? []) queue.push([`${dir}/${name}`, `${rel}/${name}`]);
  }
  return out.slice(0, maxPids);
}

/** Reads every member's counters through the pid reader (timeouts, no blocking); exited ones are skipped. */
export async function snapshotProcesses(reader: PidReader, members: { pid: number; cgroup: string }[]): Promise<ProcessCounters[]> {
  const out: ProcessCounters[] = [];
  for (const { pid, cgroup } of members) {
    const stat = await reader.read(pid, 'stat');
    if (stat == null) continue;
    const [status, io, adj] = [await reader.read(pid, 'status'), await reader.read(pid, 'io'), await reader.read(pid, 'oom_score_adj')];
    const p = processCounters(pid, cgroup, stat, status, io, adj);
    if (p) out.push(p);
  }
  return out;
}
