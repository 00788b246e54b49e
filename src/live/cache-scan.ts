import { lstatSync, opendirSync } from 'node:fs';
import { join } from 'node:path';
import { ResidencyError, type Residency, type ResidencyFn } from './residency.js';

export interface ScanTarget {
  /** Shown to the user. */
  path: string;
  /** Opened (defaults to path); /proc/PID/root/… for a file in another mount namespace. */
  openPath?: string;
}

export interface ScanResult {
  files: Residency[];
  failures: { path: string; code: string; message: string }[];
  /** The scan stopped at its cap: more files were there. */
  truncated: boolean;
}

export interface ScanOptions {
  maxFiles?: number;
  /** Called at most every ~200 ms with files done so far; the CLI turns it into a TTY line. */
  progress?: (done: number, current: string) => void;
  now?: () => number;
}

/**
 * Expands directories (depth-first, without following symlinks, never leaving the cap) into the
 * regular files below them, streaming: the walk keeps one directory handle per level, not a list
 * of the whole tree.
 */
export function* expandTargets(targets: ScanTarget[], errors: ScanResult['failures']): Generator<ScanTarget> {
  for (const t of targets) {
    const open = t.openPath ?? t.path;
    let st;
    try {
      st = lstatSync(open);
    } catch (e) {
      errors.push({ path: t.path, code: (e as NodeJS.ErrnoException).code ?? 'EIO', message: (e as Error).message });
      continue;
    }
    if (!st.isDirectory()) {
      yield t;
      continue;
    }
    let dir;
    try {
      dir = opendirSync(open);
    } catch (e) {
      errors.push({ path: t.path, code: (e as NodeJS.ErrnoException).code ?? 'EIO', message: (e as Error).message });
      continue;
    }
    try {
      for (let ent = dir.readSync(); ent; ent = dir.readSync()) {
        if (!ent.isFile() && !ent.isDirectory()) continue;
        yield* expandTargets([{ path: join(t.path, ent.name), openPath: join(open, ent.name) }], errors);
      }
    } finally {
      dir.closeSync();
    }
  }
}

/** Residency of every target, bounded by maxFiles; failures are collected, never thrown. */
export function scanResidency(targets: ScanTarget[], residency: ResidencyFn, opts: ScanOptions = {}): ScanResult {
  const maxFiles = opts.maxFiles ?? 100_000;
  const now = opts.now ?? Date.now;
  const result: ScanResult = { files: [], failures: [], truncated: false };
  let lastTick = now();
  let done = 0;
  for (const t of expandTargets(targets, result.failures)) {
    if (done >= maxFiles) {
      result.truncated = true;
      break;
    }
    done++;
    try {
      result.files.push(residency(t.openPath ?? t.path, t.path));
    } catch (e) {
      const err = e as ResidencyError;
      result.failures.push({ path: t.path, code: err.code ?? 'EIO', message: err.message });
    }
    if (opts.progress && now() - lastTick >= 200) {
      lastTick = now();
      opts.progress(done, t.path);
    }
  }
  return result;
}

/** Biggest cached first (what pcstat and hcache --top print), ties by path. */
export function sortByCached(files: Residency[]): Residency[] {
  return [...files].sort((a, b) => (b.cachedPages ?? -1) - (a.cachedPages ?? -1) || a.path.localeCompare(b.path));
}
