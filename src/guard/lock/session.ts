import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcReader } from '../../live/reader.js';
import { CriticalLocker, type LockStatus } from './locker.js';

/** Where a running guard leaves its lock status for `memtriage guard --status` (in its --bundle-dir). */
export const statusPath = (bundleDir: string) => join(bundleDir, 'lock-status.json');

/** What `guard --status` reads: the locks, and whether the guard could protect itself. */
export interface GuardLockFile {
  pid: number;
  writtenAtMs: number;
  /** The guard's oom_score_adj after it tried to lower it (null: unreadable). */
  oomScoreAdj: number | null;
  /** Why it could not go lower, when it could not. */
  oomScoreAdjNote: string | null;
  lock: LockStatus;
}

export interface LockSessionOptions {
  reader: ProcReader;
  daemons?: readonly string[];
  budgetBytes?: number;
  bundleDir: string;
  refreshMs: number;
  say: (line: string) => void;
  /** /proc/self/oom_score_adj; a test may point elsewhere. */
  oomScoreAdjPath?: string;
}

/**
 * --lock-critical as the guard runs it: lock, refresh on a timer (a daemon restarted on a new binary
 * gets its new pages locked, the old ones let go), publish the status, release on stop.
 *
 * Locked file pages count in the OOM score of the process that holds the lock (measured for
 * issue 11: with vmtouch holding them, the kernel killed the daemon and vmtouch while the hog lived),
 * so the guard first lowers its own oom_score_adj as far as it may: -1000 needs CAP_SYS_RESOURCE;
 * without it the kernel refuses any value below the current one, and the unit's OOMScoreAdjust=
 * must do it instead.
 */
export class LockSession {
  readonly locker: CriticalLocker;
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> = Promise.resolve();
  private adj: { value: number | null; note: string | null } = { value: null, note: null };

  constructor(private readonly o: LockSessionOptions) {
    this.locker = new CriticalLocker({ reader: o.reader, daemons: o.daemons, budgetBytes: o.budgetBytes });
  }

  async start(): Promise<LockStatus> {
    this.adj = await lowerOomScoreAdj(this.o.oomScoreAdjPath ?? '/proc/self/oom_score_adj');
    if (this.adj.note) this.o.say(`memtriage guard: ${this.adj.note}`);
    await mkdir(this.o.bundleDir, { recursive: true });
    const s = await this.refresh();
    this.timer = setInterval(() => { this.busy = this.busy.then(() => this.refresh().then(() => undefined)); }, this.o.refreshMs);
    this.timer.unref();
    return s;
  }

  lockedBytes(): number {
    return this.locker.status().lockedBytes;
  }

  private async refresh(): Promise<LockStatus> {
    let s: LockStatus;
    try {
      s = await this.locker.refresh();
    } catch (e) {
      this.o.say(`memtriage guard: --lock-critical: ${(e as Error).message}`);
      return this.locker.status();
    }
    const file: GuardLockFile = { pid: process.pid, writtenAtMs: Date.now(), oomScoreAdj: this.adj.value, oomScoreAdjNote: this.adj.note, lock: s };
    const path = statusPath(this.o.bundleDir);
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(file)).then(() => rename(tmp, path))
      .catch((e) => this.o.say(`memtriage guard: cannot write ${path}: ${(e as Error).message}`));
    return s;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.busy;
    this.locker.releaseAll();
  }
}

/** Tries -1000, then keeps what it has; says why when it could not. */
export async function lowerOomScoreAdj(path: string): Promise<{ value: number | null; note: string | null }> {
  const read = async () => {
    const n = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    return Number.isInteger(n) && n >= -1000 && n <= 1000 ? n : null;
  };
  try {
    await writeFile(path, '-1000');
    return { value: await read(), note: null };
  } catch (e) {
    const value = await read();
    return {
      value,
      note: `--lock-critical: could not lower the guard's oom_score_adj to -1000 (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; it stays ${value ?? 'unknown'}): ` +
        'the locked pages count in the guard\'s OOM score, so a kernel OOM kill may choose the guard; run it with CAP_SYS_RESOURCE or OOMScoreAdjust=-1000 in its unit',
    };
  }
}

/** `memtriage guard --status`: the status file of the guard that uses bundleDir, or why there is none. */
export async function readLockFile(bundleDir: string): Promise<{ file: GuardLockFile } | { error: string }> {
  const path = statusPath(bundleDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT'
      ? `${path}: no status: no guard with --lock-critical and --bundle-dir ${bundleDir} has run here (start one, or give its --bundle-dir)`
      : `${path}: cannot read (${code ?? (e as Error).message})` };
  }
  try {
    return { file: JSON.parse(text) as GuardLockFile };
  } catch {
    return { error: `${path}: not a guard status file (not JSON)` };
  }
}
