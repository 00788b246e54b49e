import { counterKey } from '../../keys.js';

// "free:44288kB", "reserved_highatomic:0KB", "shmem_thp: 0kB" (4.9 prints a space), "pages_scanned:374512"
const COUNTER_RE = /([a-zA-Z_][\w()]*):\s?(-?\d+)(kB|KB)?/g;

/** key:value tokens of a Mem-Info, node or zone line; the unit goes into the name (freeKb, freePages). */
export function counters(text: string, bareUnit: 'Pages' | ''): Record<string, number> {
  const out: Record<string, number> = {};
  COUNTER_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = COUNTER_RE.exec(text))) out[counterKey(m[1], m[3] ? 'Kb' : bareUnit)] = Number(m[2]);
  return out;
}
