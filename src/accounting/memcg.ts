import { bySize, holder, type Accounting, type Holder } from './types.js';

/** The counters read, by their stats' key stem. */
const NAMES = ['anon', 'rss', 'file', 'cache', 'shmem', 'slab', 'kernelStack', 'pagetables', 'percpu', 'vmalloc', 'kernel', 'sock'] as const;
type Name = (typeof NAMES)[number];

/** The stats' key names for a counter, in bytes and in kB, made once (a name built per lookup was most of the cost). */
const KEYS = Object.fromEntries(NAMES.map((n) => [n, [`${n}Bytes`, `${n}Kb`]])) as Record<Name, [string, string]>;

/**
 * What a memory cgroup held, from its memory.stat (printed in the OOM report after "Memory cgroup
 * stats for …", or read from the file), against its limit. v2 (4.5+ keys): anon, file (shmem
 * inside it), kernel (5.18+: slab, stacks, page tables, percpu, vmalloc…; before it the parts are
 * separate keys), sock. v1: rss, cache (shmem inside it); kernel memory only on the report's
 * "kmem: usage" line. Stats come in bytes (4.x printed some in kB: both are read).
 */
export function accountMemcg(stats: Record<string, number>, limitKb: number | null, kmemUsageKb: number | null = null): Accounting {
  // One name at a time (a rest parameter made an array per lookup: 13 lookups an OOM report).
  const kb = (n: Name): number | null => {
    const [bytes, kib] = KEYS[n];
    if (stats[bytes] != null) return Math.round(stats[bytes] / 1024);
    if (stats[kib] != null) return stats[kib];
    return null;
  };
  const v2Anon = kb('anon');
  const v2 = v2Anon != null;
  const anon = v2Anon ?? kb('rss');
  const file = kb('file') ?? kb('cache');
  const shmem = kb('shmem');
  const parts = (['slab', 'kernelStack', 'pagetables', 'percpu', 'vmalloc'] as const).map((n) => kb(n));
  const kernelKey = kb('kernel');
  const kernel = kernelKey ?? (v2 && parts.some((p) => p != null) ? parts.reduce((s: number, p) => s + (p ?? 0), 0) : kmemUsageKb);
  const sock = kb('sock');
  const hs: Holder[] = [];
  const missing: string[] = [];
  if (anon != null) hs.push(holder('anon', 'process memory (anonymous)', anon, v2 ? 'anon' : 'rss'));
  else missing.push(v2 ? 'anon' : 'rss');
  if (file != null) hs.push(holder('page-cache', 'page cache (files)', file - (shmem ?? 0), `${v2 ? 'file' : 'cache'}${shmem != null ? ' − shmem' : ''}`));
  else missing.push(v2 ? 'file' : 'cache');
  if (shmem != null) hs.push(holder('shmem', 'shared memory (tmpfs, shm)', shmem, 'shmem', { note: `inside ${v2 ? 'file' : 'cache'}` }));
  if (kernel != null) hs.push(holder('kernel', 'kernel memory charged to the cgroup', kernel, kernelKey != null ? 'kernel' : v2 ? 'slab + kernel_stack + pagetables + percpu + vmalloc' : 'kmem: usage'));
  if (sock) hs.push(holder('sock', 'socket buffers', sock, 'sock'));
  const accountedKb = hs.reduce((s, h) => s + h.kb, 0);
  return {
    source: 'memcg', totalKb: limitKb, totalSource: 'the cgroup\'s limit', pageSizeKb: null,
    holders: bySize(hs), accountedKb, unaccountedKb: null, missing, toGet: missing.length ? 'the "Memory cgroup stats" lines of the report, or the cgroup\'s memory.stat' : null,
    estimates: kernel == null ? ['The stats print no kernel memory (cgroup v1 without the report\'s kmem line): slab and stacks charged to the cgroup are not shown.'] : [],
    terms: hs.map((h) => [h.source, h.kb]), formula: hs.map((h) => h.source).join(' + '),
    hugePools: [], cma: null, generation: null,
  };
}
