import { readFile } from 'node:fs/promises';

/**
 * Reads /proc/PID files off the guard's loop. A process stuck in the kernel with its mm lock held
 * can block reads of its /proc files for minutes; such a read ties up one libuv thread-pool thread
 * (it cannot be cancelled), never the loop: the guard's counters are read with pread on the main
 * thread, and here each read races a timeout. At most `maxInFlight` reads are outstanding, so a
 * few stuck reads cannot take the whole pool (the bundle writer needs it); a pid whose read timed
 * out is not read again. Only files that do not take the mm lock are read (stat, status, io,
 * oom_score_adj, comm); never cmdline, maps or smaps.
 */
export interface PidReader {
  read(pid: number, file: 'stat' | 'status' | 'io' | 'oom_score_adj' | 'comm'): Promise<string | null>;
  /** Pids given up on, with why. */
  stuck(): ReadonlyMap<number, string>;
}

export class AsyncPidReader implements PidReader {
  private inFlight = 0;
  private readonly stuckPids = new Map<number, string>();

  constructor(private readonly timeoutMs = 200, private readonly maxInFlight = 2, private readonly procRoot = '/proc') {}

  stuck(): ReadonlyMap<number, string> {
    return this.stuckPids;
  }

  async read(pid: number, file: string): Promise<string | null> {
    if (this.stuckPids.has(pid) || this.inFlight >= this.maxInFlight) return null;
    this.inFlight++;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const read = readFile(`${this.procRoot}/${pid}/${file}`, 'latin1').then(
      (t) => t,
      () => null,
    );
    // The counter drops when the read really ends, not at the timeout: a stuck read keeps its slot.
    void read.finally(() => this.inFlight--);
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        resolve(null);
      }, this.timeoutMs);
    });
    try {
      const out = await Promise.race([read, timeout]);
      if (timedOut) {
        if (this.stuckPids.size < 4096) this.stuckPids.set(pid, `read of /proc/${pid}/${file} took over ${this.timeoutMs} ms`);
      }
      return out;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Test double: texts by "pid/file"; missing → null (the process exited). */
export class MapPidReader implements PidReader {
  constructor(public files: Record<string, string>) {}
  async read(pid: number, file: string): Promise<string | null> {
    return this.files[`${pid}/${file}`] ?? null;
  }
  stuck(): ReadonlyMap<number, string> {
    return new Map();
  }
}
