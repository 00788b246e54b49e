import { closeSync, openSync, readdirSync, readSync } from 'node:fs';

/**
 * The guard's hot path reads counters through this. The real one keeps each file open and reads it
 * with pread at offset 0 (seq_file and kernfs regenerate the text when a read starts at 0), so a
 * tick costs one syscall per file and no open/close or path walk. Tests hand in recorded texts.
 * Nothing throws: a file that cannot be read is null (a cgroup removed under us gives ENODEV).
 */
export interface CounterFiles {
  read(path: string): string | null;
  /** Subdirectories of a directory (cgroupfs only: never /proc/PID, whose reads can block), or null. */
  list(dir: string): string[] | null;
  /** Closes the kept-open files for which keep() is false (vanished or no longer watched cgroups). */
  retain(keep: (path: string) => boolean): void;
  /** Number of files held open (bounded by what is watched). */
  openCount(): number;
  close(): void;
}

export class PreadFiles implements CounterFiles {
  private readonly fds = new Map<string, number>();
  private buf = Buffer.alloc(16 << 10);

  read(path: string): string | null {
    let fd = this.fds.get(path);
    if (fd === undefined) {
      try {
        fd = openSync(path, 'r');
      } catch {
        return null;
      }
      this.fds.set(path, fd);
    }
    try {
      for (;;) {
        const n = readSync(fd, this.buf, 0, this.buf.length, 0);
        // A full buffer may mean a cut text: grow and read again (memory.stat is ~1.5 KiB, vmstat ~5 KiB).
        if (n < this.buf.length || this.buf.length >= 1 << 20) return this.buf.toString('latin1', 0, n);
        this.buf = Buffer.alloc(this.buf.length * 2);
      }
    } catch {
      this.drop(path);
      return null;
    }
  }

  list(dir: string): string[] | null {
    try {
      return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      return null;
    }
  }

  retain(keep: (path: string) => boolean): void {
    for (const path of [...this.fds.keys()]) if (!keep(path)) this.drop(path);
  }

  openCount(): number {
    return this.fds.size;
  }

  close(): void {
    for (const path of [...this.fds.keys()]) this.drop(path);
  }

  private drop(path: string): void {
    const fd = this.fds.get(path);
    this.fds.delete(path);
    if (fd !== undefined) try { closeSync(fd); } catch { /* already gone */ }
  }
}

/** Test double: a mutable map of path → text; directories are derived from the paths. */
export class MapFiles implements CounterFiles {
  reads = 0;
  constructor(public files: Record<string, string | null> = {}) {}
  read(path: string): string | null {
    this.reads++;
    return this.files[path] ?? null;
  }
  list(dir: string): string[] | null {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    const names = new Set<string>();
    let any = false;
    for (const p of Object.keys(this.files)) {
      if (!p.startsWith(prefix) || this.files[p] == null) continue;
      any = true;
      const rest = p.slice(prefix.length).split('/');
      if (rest.length > 1) names.add(rest[0]);
    }
    return any ? [...names].sort() : null;
  }
  retain(): void {}
  openCount(): number {
    return 0;
  }
  close(): void {}
}
