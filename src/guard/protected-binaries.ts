import { openSync, closeSync, readdirSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import type { PidReader } from './pid-reader.js';
import type { Syscalls } from './syscalls.js';

/**
 * The executables of the protected daemons (sshd, kubelet, …), kept open, and the sum of their
 * cachestat "recently evicted" pages: the code of seed 001's kubelet being evicted and re-read is
 * the thrash itself, seen from the daemon that matters. Found by name every refreshMs through the
 * pid reader (comm, exe link: neither takes the mm lock); at most maxFiles binaries.
 */
export class ProtectedBinaries {
  private readonly fds = new Map<string, number>();
  private refreshing = false;

  constructor(private readonly sys: Syscalls, private readonly pids: PidReader, private readonly names: string[], private readonly maxFiles = 32, private readonly procRoot = '/proc') {}

  paths(): string[] {
    return [...this.fds.keys()];
  }

  /** Sum over the kept-open binaries, or null when none is open or cachestat is unsupported. */
  evictedPages(): number | null {
    if (this.fds.size === 0) return null;
    let sum = 0;
    for (const fd of this.fds.values()) {
      const n = this.sys.recentlyEvictedPages(fd);
      if (n == null) return null;
      sum += n;
    }
    return sum;
  }

  async refresh(): Promise<void> {
    if (this.refreshing || this.names.length === 0) return;
    this.refreshing = true;
    try {
      let pids: string[] = [];
      try {
        pids = readdirSync(this.procRoot).filter((n) => /^\d+$/.test(n));
      } catch { /* no /proc */ }
      const found = new Set<string>();
      for (const pid of pids) {
        if (found.size >= this.maxFiles) break;
        const comm = (await this.pids.read(Number(pid), 'comm'))?.trim();
        if (!comm || !this.names.includes(comm)) continue;
        const exe = await readlink(`${this.procRoot}/${pid}/exe`).catch(() => null);
        if (exe && !exe.endsWith(' (deleted)')) found.add(exe);
      }
      for (const [path, fd] of this.fds) if (!found.has(path)) { closeSync(fd); this.fds.delete(path); }
      for (const path of found) {
        if (this.fds.has(path)) continue;
        try { this.fds.set(path, openSync(path, 'r')); } catch { /* unreadable: skip */ }
      }
    } finally {
      this.refreshing = false;
    }
  }

  close(): void {
    for (const fd of this.fds.values()) try { closeSync(fd); } catch { /* gone */ }
    this.fds.clear();
  }
}
