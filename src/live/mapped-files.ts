import { parseMapsFiles } from './proc-text.js';
import type { ProcReader } from './reader.js';

/** A file some process maps, found through /proc/PID/maps. */
export interface MappedFile {
  /** As the process sees it (its mount namespace). */
  path: string;
  /** Where this process can open it: /proc/PID/root/… reaches into a container's filesystem. */
  openPath: string;
  /** device:inode, so the same library mapped by 300 processes is measured once. */
  key: string;
  pids: number[];
  deleted: boolean;
}

/**
 * Unique files mapped by the given processes, at most `limit` (the first seen win; pass pids in
 * order of interest). Deleted files are kept with their /proc/PID/map_files path unknown, so they
 * are opened through the process root and usually fail: that is reported, not hidden.
 */
export async function mappedFiles(reader: ProcReader, pids: number[], limit: number, selfRoot = false): Promise<MappedFile[]> {
  const byKey = new Map<string, MappedFile>();
  for (const pid of pids) {
    const maps = await reader.readFile(`/proc/${pid}/maps`, 4 << 20);
    if (maps == null) continue;
    for (const f of parseMapsFiles(maps)) {
      const seen = byKey.get(f.key);
      if (seen) {
        if (seen.pids.length < 16) seen.pids.push(pid);
        continue;
      }
      if (byKey.size >= limit) continue;
      byKey.set(f.key, {
        path: f.path, key: f.key, pids: [pid], deleted: f.deleted,
        openPath: selfRoot ? f.path : `/proc/${pid}/root${f.path}`,
      });
    }
  }
  return [...byKey.values()];
}
