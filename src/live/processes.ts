import { parseColonKb, statusField } from './proc-text.js';
import type { ProcReader } from './reader.js';

/** One process's memory as /proc tells it; kb values are null when the file could not be read. */
export interface ProcessMem {
  pid: number;
  comm: string;
  /** Anonymous memory charged to it: Pss_Anon (shared pages split between sharers) or RssAnon. */
  anonKb: number | null;
  /** Where anonKb came from: PSS needs ptrace access (root, or your own process); status does not. */
  anonSource: 'smaps_rollup' | 'status' | null;
  rssKb: number | null;
  shmemKb: number | null;
  swapKb: number | null;
  /** Kernel threads have no mm: no VmRSS line in status. */
  kernelThread: boolean;
}

/** Numeric entries of /proc, lowest first, at most `limit` (every one by default). */
export async function listPids(reader: ProcReader, limit = Infinity): Promise<number[]> {
  return (await countPids(reader, limit)).pids;
}

/** listPids, and how many processes there were in all (so a caller can say what it skipped). */
export async function countPids(reader: ProcReader, limit = Infinity): Promise<{ pids: number[]; total: number }> {
  const names = (await reader.readdir('/proc')) ?? [];
  const all = names.filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  return { pids: all.length > limit ? all.slice(0, limit) : all, total: all.length };
}

/** Pure: the two files of one process → ProcessMem (null when status is gone: the process exited). */
export function processMem(pid: number, status: string | null, rollup: string | null): ProcessMem | null {
  if (status == null) return null;
  const st = parseColonKb(status);
  const comm = statusField(status, 'Name') ?? '?';
  const kernelThread = st.VmRSS === undefined;
  const r = rollup ? parseColonKb(rollup) : {};
  // Pss_Anon appeared in smaps_rollup in 5.4; older kernels only give Pss, which mixes file pages in.
  const pss = r.Pss_Anon;
  const anonKb = pss ?? st.RssAnon ?? null;
  return {
    pid, comm, kernelThread,
    anonKb: kernelThread ? 0 : anonKb,
    anonSource: kernelThread ? null : pss !== undefined ? 'smaps_rollup' : st.RssAnon !== undefined ? 'status' : null,
    rssKb: st.VmRSS ?? null,
    shmemKb: r.Pss_Shmem ?? st.RssShmem ?? null,
    swapKb: r.SwapPss ?? st.VmSwap ?? null,
  };
}

/**
 * Reads status (always world-readable) then smaps_rollup (PSS; walks the page tables under the mm
 * lock, so it is the read that hangs on a stuck process, and the reader's timeout covers it).
 * Kernel threads are skipped before the second read. A few at a time keeps memory flat.
 */
export async function readProcesses(reader: ProcReader, opts: { limit?: number; concurrency?: number; skipped?: (n: number, total: number) => void } = {}): Promise<ProcessMem[]> {
  // Every process by default: a busy node's memory is not all in its lowest 4,000 pids.
  const { pids, total } = await countPids(reader, opts.limit);
  if (pids.length < total) opts.skipped?.(total - pids.length, total);
  const out: ProcessMem[] = [];
  let next = 0;
  const worker = async () => {
    while (next < pids.length) {
      const pid = pids[next++];
      const status = await reader.readFile(`/proc/${pid}/status`, 64 << 10);
      if (status == null || !/^VmRSS:/m.test(status)) {
        const p = processMem(pid, status, null);
        if (p) out.push(p);
        continue;
      }
      const rollup = await reader.readFile(`/proc/${pid}/smaps_rollup`, 64 << 10);
      const p = processMem(pid, status, rollup);
      if (p) out.push(p);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
  return out.sort((a, b) => a.pid - b.pid);
}
