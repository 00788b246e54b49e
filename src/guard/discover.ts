import type { CounterFiles } from './files.js';
import { limitValue } from './parse.js';

/** A cgroup the guard watches, with where its files are on each hierarchy. */
export interface WatchedCgroup {
  /** Path below the hierarchy roots; "/" is the whole machine (host /proc files). */
  cgroup: string;
  /** v1 memory controller directory (memory.stat, limits), or null. */
  v1Dir: string | null;
  /** cgroup2 directory (memory.pressure; also memory.stat when the memory controller is on v2), or null. */
  v2Dir: string | null;
}

export interface DiscoverOptions {
  v1Root: string | null;
  v2Root: string | null;
  /** Only cgroups under these paths ("/kubepods", "/mt-guard-lab"); empty watches every one. */
  watch: string[];
  maxCgroups: number;
  /** Also watch "/", the whole machine (hosts without memory limits). */
  includeRoot: boolean;
  maxDepth?: number;
}

const underAny = (path: string, prefixes: string[]) =>
  prefixes.length === 0 || prefixes.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
const dirOf = (root: string, rel: string) => (rel === '/' ? root : root + rel);

/** Relative paths of every cgroup below root, breadth-first, bounded. */
function walk(files: CounterFiles, root: string, maxDepth: number, bound: number): string[] {
  const out: string[] = [];
  const queue: [string, number][] = [['/', 0]];
  while (queue.length > 0 && out.length < bound) {
    const [rel, depth] = queue.shift()!;
    if (rel !== '/') out.push(rel);
    if (depth >= maxDepth) continue;
    for (const name of files.list(dirOf(root, rel)) ?? []) queue.push([rel === '/' ? `/${name}` : `${rel}/${name}`, depth + 1]);
  }
  return out;
}

const hasMembers = (files: CounterFiles, dir: string) => /\d/.test(files.read(`${dir}/cgroup.procs`) ?? '');

/**
 * The cgroups worth watching: those with a memory limit (v1 memory.limit_in_bytes, v2 memory.max)
 * or with member processes, under the --watch prefixes, at most maxCgroups (the root counts).
 * On a hybrid host (memory controller on v1, cgroup2 mounted beside it, as on the development
 * machine) a v1 group and the cgroup2 directory of the same path are twins: the v1 files give the
 * counters, the cgroup2 twin the per-cgroup memory.pressure that v1 never had. Pairing is by path
 * (the layout systemd and container runtimes create on both hierarchies).
 */
export function discover(files: CounterFiles, opts: DiscoverOptions): WatchedCgroup[] {
  const maxDepth = opts.maxDepth ?? 8;
  const out: WatchedCgroup[] = opts.includeRoot ? [{ cgroup: '/', v1Dir: null, v2Dir: null }] : [];
  const bound = opts.maxCgroups * 16;
  const v1 = opts.v1Root ? walk(files, opts.v1Root, maxDepth, bound) : [];
  const v2 = opts.v2Root ? walk(files, opts.v2Root, maxDepth, bound) : [];
  const v2Set = new Set(v2);
  const seen = new Set<string>();
  for (const rel of v1) {
    if (out.length >= opts.maxCgroups) break;
    if (!underAny(rel, opts.watch)) continue;
    const dir = dirOf(opts.v1Root!, rel);
    const limited = limitValue(files.read(`${dir}/memory.limit_in_bytes`)) != null;
    if (!limited && !hasMembers(files, dir)) continue;
    seen.add(rel);
    out.push({ cgroup: rel, v1Dir: dir, v2Dir: v2Set.has(rel) ? dirOf(opts.v2Root!, rel) : null });
  }
  for (const rel of v2) {
    if (out.length >= opts.maxCgroups) break;
    if (seen.has(rel) || !underAny(rel, opts.watch)) continue;
    const dir = dirOf(opts.v2Root!, rel);
    const limited = limitValue(files.read(`${dir}/memory.max`)) != null;
    if (!limited && !hasMembers(files, dir)) continue;
    out.push({ cgroup: rel, v1Dir: null, v2Dir: dir });
  }
  return out;
}
