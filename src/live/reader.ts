import { readFile, readdir, readlink, statfs } from 'node:fs/promises';
import { join } from 'node:path';

/** Why one path could not be read: an errno code ("EACCES"), "TIMEOUT" or "SKIPPED", with words. */
export interface ReadFailure {
  path: string;
  code: string;
  message: string;
}

export interface FsUsage {
  sizeBytes: number;
  usedBytes: number;
}

/**
 * Everything the live side knows about the machine comes through this: /proc, /sys and the few
 * other absolute paths it looks at. Nothing throws; a path that cannot be read resolves to null
 * and is recorded in failures(), so a command can say what it could not see and why.
 */
export interface ProcReader {
  /** Text of the file, at most maxBytes (default 8 MiB), or null. */
  readFile(path: string, maxBytes?: number): Promise<string | null>;
  /**
   * Several files read back-to-back by one reader, as close to one instant as it gets. For
   * counters that must add up together (meminfo with zoneinfo): pages move between the free lists
   * and per-cpu lists constantly, and reads from different helpers a few ms apart disagree.
   */
  readFiles(paths: string[], maxBytes?: number): Promise<(string | null)[]>;
  readdir(path: string): Promise<string[] | null>;
  readlink(path: string): Promise<string | null>;
  /** Size and use of the filesystem mounted at path (tmpfs sizes), or null. */
  statfs(path: string): Promise<FsUsage | null>;
  /** Every failed read so far, in order. */
  failures(): ReadFailure[];
  /** Releases helper processes; the reader must not be used afterwards. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BYTES = 8 << 20;

export function errnoCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? 'EIO';
}

/** Failures worth telling a user about: a missing optional file (ENOENT) is just absence. */
export function reportableFailures(reader: ProcReader): ReadFailure[] {
  return reader.failures().filter((f) => f.code !== 'ENOENT' && f.code !== 'ENOTDIR');
}

/**
 * Serves a captured tree: "/proc/meminfo" is read from `<root>/proc/meminfo`. Used by tests with
 * test/fixtures/proc-tree-*, and by anyone replaying a copied /proc. statfs answers come from
 * `<root>/statfs.json` ({ "/dev/shm": { "sizeBytes": N, "usedBytes": N } }) when captured.
 */
export class FixtureReader implements ProcReader {
  private readonly failed: ReadFailure[] = [];
  private statfsTable: Record<string, FsUsage> | null | undefined;

  constructor(readonly root: string) {}

  private local(path: string): string {
    return join(this.root, path.replace(/^\/+/, ''));
  }

  private fail(path: string, e: unknown): null {
    this.failed.push({ path, code: errnoCode(e), message: (e as Error).message });
    return null;
  }

  async readFile(path: string, maxBytes = DEFAULT_MAX_BYTES): Promise<string | null> {
    try {
      const buf = await readFile(this.local(path));
      return buf.subarray(0, maxBytes).toString('utf8');
    } catch (e) {
      return this.fail(path, e);
    }
  }

  async readFiles(paths: string[], maxBytes = DEFAULT_MAX_BYTES): Promise<(string | null)[]> {
    const out: (string | null)[] = [];
    for (const p of paths) out.push(await this.readFile(p, maxBytes));
    return out;
  }

  async readdir(path: string): Promise<string[] | null> {
    try {
      return (await readdir(this.local(path))).sort();
    } catch (e) {
      return this.fail(path, e);
    }
  }

  async readlink(path: string): Promise<string | null> {
    try {
      return await readlink(this.local(path));
    } catch (e) {
      return this.fail(path, e);
    }
  }

  async statfs(path: string): Promise<FsUsage | null> {
    if (this.statfsTable === undefined) {
      const text = await readFile(join(this.root, 'statfs.json'), 'utf8').catch(() => null);
      this.statfsTable = text ? (JSON.parse(text) as Record<string, FsUsage>) : null;
    }
    return this.statfsTable?.[path] ?? null;
  }

  failures(): ReadFailure[] {
    return [...this.failed];
  }

  async close(): Promise<void> {}
}

/** statfs(2) of a real path; shared by the real reader (statfs never touches a process's mm). */
export async function realStatfs(path: string): Promise<FsUsage | null> {
  try {
    const s = await statfs(path);
    return { sizeBytes: s.blocks * s.bsize, usedBytes: (s.blocks - s.bfree) * s.bsize };
  } catch {
    return null;
  }
}
