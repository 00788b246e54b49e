import { readFile, writeFile } from 'node:fs/promises';

/**
 * MGLRU's thrashing protection (5.19+ with CONFIG_LRU_GEN): /sys/kernel/mm/lru_gen/min_ttl_ms keeps
 * the working set of the last N ms resident and calls the OOM killer when it cannot. In a Debian 6.1
 * VM without cgroup limits, 1000 turned a 50 s thrash into an OOM kill after 4.2 s (issue 11); under
 * a memory cgroup limit it had no effect. It is global, so the guard restores the old value on exit.
 */
export const MIN_TTL_PATH = '/sys/kernel/mm/lru_gen/min_ttl_ms';

/** The current value, or null where the kernel has no MGLRU (the file is absent). */
export async function readMinTtlMs(path = MIN_TTL_PATH): Promise<number | null> {
  const t = await readFile(path, 'utf8').catch(() => null);
  if (t == null) return null;
  const n = Number(t.trim());
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** Sets min_ttl_ms; resolves to a function that puts the old value back. Throws with the reason. */
export async function setMinTtlMs(ms: number, path = MIN_TTL_PATH): Promise<() => Promise<void>> {
  const old = await readMinTtlMs(path);
  if (old == null) throw new Error(`${path} is absent: this kernel has no MGLRU (CONFIG_LRU_GEN, 5.19+), so --min-ttl-ms cannot apply`);
  await writeFile(path, String(ms));
  return async () => { await writeFile(path, String(old)); };
}
