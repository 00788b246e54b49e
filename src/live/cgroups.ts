import { parseSpaceKv, type Mount } from './proc-text.js';
import type { ProcReader } from './reader.js';

/** One memory cgroup's own (not its children's) usage, kB. */
export interface CgroupMem {
  version: 1 | 2;
  /** Path below the hierarchy's mount ("/" for the root, "/kubepods/burstable/pod…"). */
  path: string;
  anonKb: number;
  fileKb: number;
  shmemKb: number;
  /** Including children, as the files print it (v1 total_*, v2 always). */
  totalAnonKb: number;
}

export interface CgroupMounts {
  v1Memory: string | null;
  v2: string | null;
}

/** Where the hierarchies are mounted, from mountinfo: never assume /sys/fs/cgroup/memory. */
export function cgroupMounts(mounts: Mount[]): CgroupMounts {
  const out: CgroupMounts = { v1Memory: null, v2: null };
  for (const m of mounts) {
    if (m.fsType === 'cgroup' && m.superOptions.includes('memory')) out.v1Memory ??= m.mountPoint;
    if (m.fsType === 'cgroup2') out.v2 ??= m.mountPoint;
  }
  return out;
}

const KB = 1024;

/**
 * Pure: memory.stat → own usage. v1 prints both a local value ("rss": NR_ANON_MAPPED of this
 * group only) and a hierarchical one ("total_rss"). v2 prints only hierarchical values ("anon"),
 * so the caller subtracts the children's; `own` is filled in by `subtractChildren`.
 */
export function cgroupStat(version: 1 | 2, path: string, stat: string): CgroupMem | null {
  const s = parseSpaceKv(stat);
  if (version === 1) {
    if (s.rss === undefined) return null;
    return {
      version, path, anonKb: s.rss / KB, fileKb: ((s.cache ?? 0) - (s.shmem ?? 0)) / KB, shmemKb: (s.shmem ?? 0) / KB,
      totalAnonKb: (s.total_rss ?? s.rss) / KB,
    };
  }
  if (s.anon === undefined) return null;
  return { version, path, anonKb: s.anon / KB, fileKb: (s.file ?? 0) / KB - (s.shmem ?? 0) / KB, shmemKb: (s.shmem ?? 0) / KB, totalAnonKb: s.anon / KB };
}

/** v2: own = hierarchical minus the direct children's hierarchical values. */
export function subtractChildren(groups: CgroupMem[]): CgroupMem[] {
  const byPath = new Map(groups.filter((g) => g.version === 2).map((g) => [g.path, { ...g }]));
  for (const g of groups) {
    if (g.version !== 2 || g.path === '/') continue;
    const parentPath = g.path.slice(0, g.path.lastIndexOf('/')) || '/';
    const parent = byPath.get(parentPath);
    if (!parent) continue;
    parent.anonKb -= g.anonKb;
    parent.fileKb -= g.fileKb;
    parent.shmemKb -= g.shmemKb;
  }
  return groups.map((g) => (g.version === 2 ? byPath.get(g.path)! : g));
}

/** Walks one hierarchy breadth-first, at most `limit` groups, reading memory.stat in each. */
async function walk(reader: ProcReader, root: string, version: 1 | 2, limit: number): Promise<CgroupMem[]> {
  const out: CgroupMem[] = [];
  const queue = ['/'];
  while (queue.length > 0 && out.length < limit) {
    const rel = queue.shift()!;
    const dir = rel === '/' ? root : root + rel;
    const stat = await reader.readFile(`${dir}/memory.stat`, 64 << 10);
    // The v2 root has no memory.stat before 6.x: its children are still worth walking.
    const g = stat ? cgroupStat(version, rel, stat) : null;
    if (g) out.push(g);
    for (const name of (await reader.readdir(dir)) ?? []) {
      if (name.includes('.') && !/^[\w-]+\.(slice|scope|service|mount|socket)$/.test(name)) continue;
      if (/^(cgroup|memory|tasks|notify_on_release|release_agent)/.test(name)) continue;
      queue.push(rel === '/' ? `/${name}` : `${rel}/${name}`);
    }
  }
  return out;
}

/** Every memory cgroup of both hierarchies (a hybrid host has both, with memory bound to one). */
export async function readCgroups(reader: ProcReader, mounts: CgroupMounts, limit = 2000): Promise<CgroupMem[]> {
  const v1 = mounts.v1Memory ? await walk(reader, mounts.v1Memory, 1, limit) : [];
  const v2 = mounts.v2 ? await walk(reader, mounts.v2, 2, limit) : [];
  return subtractChildren([...v1, ...v2]);
}
