import { stat } from 'node:fs/promises';
import type { ProcReader } from '../../live/reader.js';
import { lockFile, LockError, pageSize, release, type FileLock } from './mlock.js';
import { defaultBudgetBytes, planLocks, type LockItem } from './plan.js';
import { daemonMaps, DEFAULT_DAEMONS } from './targets.js';

export interface LockerOptions {
  reader: ProcReader;
  /** Daemon names (comm); default sshd, systemd, systemd-journald, kubelet, containerd, dockerd. */
  daemons?: readonly string[];
  /** Default: the smaller of 256 MiB and 5 % of RAM. */
  budgetBytes?: number;
  /** The guard's own pid, locked first; null to leave it out. Default process.pid. */
  selfPid?: number | null;
}

/** What `guard --status` shows: what is locked, for whom, what did not fit, and the budget. */
export interface LockStatus {
  budgetBytes: number;
  lockedBytes: number;
  files: { path: string; inode: number; bytes: number; daemons: string[] }[];
  skipped: { path: string; bytes: number; reason: string }[];
  /** Each configured daemon with the pids found ([] when it is not running here). */
  daemons: { name: string; pids: number[] }[];
  /** When the locks were last refreshed (ms since the epoch), null before the first refresh. */
  refreshedAtMs: number | null;
}

interface Current { key: string; lock: FileLock; item: LockItem }

/**
 * --lock-critical: keeps the code of the daemons a machine needs to recover (sshd to log in,
 * systemd and journald, kubelet and the container runtime) in RAM, so a memory storm cannot evict
 * it and turn into a minutes-long livelock. Caveat measured for issue 11: locked file pages count
 * in the OOM score of the process holding the lock — here the guard — which must therefore be
 * protected itself (oom_score_adj, the unit's MemoryMin).
 */
export class CriticalLocker {
  private current = new Map<string, Current>();
  private last: LockStatus;
  private readonly daemons: readonly string[];

  constructor(private readonly o: LockerOptions) {
    this.daemons = o.daemons ?? DEFAULT_DAEMONS;
    this.last = { budgetBytes: o.budgetBytes ?? 0, lockedBytes: 0, files: [], skipped: [], daemons: this.daemons.map((name) => ({ name, pids: [] })), refreshedAtMs: null };
  }

  /** Re-reads the daemons' maps; locks what is new, releases what is gone or changed. */
  async refresh(): Promise<LockStatus> {
    const ps = pageSize();
    const budget = this.o.budgetBytes ?? defaultBudgetBytes(await memTotalBytes(this.o.reader), ps);
    const { found, pidsByName } = await daemonMaps(this.o.reader, this.daemons, this.o.selfPid === undefined ? process.pid : this.o.selfPid);
    const plan = planLocks(found, this.daemons, budget, ps);
    const skipped = [...plan.skipped];
    const next = new Map<string, Current>();
    for (const item of plan.items) {
      // A daemon restarted on a new binary shows a new inode in maps; a file rewritten in place
      // keeps its inode but not its mtime or size: either way the old lock no longer covers it.
      const st = await stat(item.path).catch(() => null);
      const key = `${item.path}\0${item.dev}\0${item.inode}\0${st?.mtimeMs}\0${st?.size}\0${JSON.stringify(item.ranges)}`;
      const had = this.current.get(key);
      if (had) { next.set(key, had); this.current.delete(key); continue; }
      try {
        next.set(key, { key, lock: lockFile(item.path, item.ranges), item });
      } catch (e) {
        skipped.push({ path: item.path, bytes: item.bytes, reason: e instanceof LockError ? e.message : (e as Error).message });
      }
    }
    for (const old of this.current.values()) release(old.lock.held);
    this.current = next;
    const files = [...next.values()].map((c) => ({ path: c.item.path, inode: c.lock.ino, bytes: c.lock.bytes, daemons: c.item.daemons }));
    this.last = {
      budgetBytes: budget, lockedBytes: files.reduce((a, f) => a + f.bytes, 0), files, skipped,
      daemons: this.daemons.map((name) => ({ name, pids: pidsByName.get(name) ?? [] })), refreshedAtMs: Date.now(),
    };
    return this.status();
  }

  status(): LockStatus {
    return structuredClone(this.last);
  }

  /** Releases every lock (on exit: the kernel would too, but a guard that stops locking must let go now). */
  releaseAll(): void {
    for (const c of this.current.values()) release(c.lock.held);
    this.current.clear();
    this.last = { ...this.last, lockedBytes: 0, files: [] };
  }
}

async function memTotalBytes(reader: ProcReader): Promise<number> {
  const m = /^MemTotal:\s+(\d+) kB/m.exec((await reader.readFile('/proc/meminfo')) ?? '');
  if (!m) throw new Error('/proc/meminfo: no MemTotal; cannot size the lock budget (give one)');
  return Number(m[1]) * 1024;
}
