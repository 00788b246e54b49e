import type { ProcReader } from '../../live/reader.js';

/** Daemons whose code is locked by default; comm names (the kernel cuts comm to 15 characters). */
export const DEFAULT_DAEMONS = ['sshd', 'systemd', 'systemd-journald', 'kubelet', 'containerd', 'dockerd'] as const;

/** A file range a daemon has mapped: [offset, offset + bytes) of the file, page aligned. */
export interface MappedRange { path: string; dev: string; inode: number; offset: number; bytes: number }

export interface DaemonMaps { name: string; pid: number; ranges: MappedRange[] }

const COMM_MAX = 15;

/**
 * Pure: /proc/PID/maps → file-backed ranges. Anonymous memory, [heap]/[stack]/[vdso], devices,
 * memfd and SysV segments are skipped, and so are files shown as "(deleted)": the daemon runs an
 * inode that no path names any more, and opening the path would lock the new file instead.
 */
export function parseMaps(text: string): MappedRange[] {
  const out: MappedRange[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) \S{4} ([0-9a-f]+) (\S+) (\d+)\s+(\/.*)$/.exec(line);
    if (!m || m[5] === '0') continue;
    const path = m[6];
    if (path.endsWith(' (deleted)') || /^\/(dev|memfd:|SYSV)/.test(path)) continue;
    const bytes = Number(BigInt(`0x${m[2]}`) - BigInt(`0x${m[1]}`));
    out.push({ path, dev: m[4], inode: Number(m[5]), offset: Number(BigInt(`0x${m[3]}`)), bytes });
  }
  return out;
}

/** The processes of each named daemon (by comm, as the kernel cuts it) plus `selfPid`, with their mapped files. */
export async function daemonMaps(reader: ProcReader, names: readonly string[], selfPid: number | null): Promise<{ found: DaemonMaps[]; pidsByName: Map<string, number[]> }> {
  const want = new Map(names.map((n) => [n.slice(0, COMM_MAX), n]));
  const pidsByName = new Map<string, number[]>(names.map((n) => [n, []]));
  const found: DaemonMaps[] = [];
  for (const entry of (await reader.readdir('/proc')) ?? []) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const comm = pid === selfPid ? null : (await reader.readFile(`/proc/${pid}/comm`, 64))?.trim();
    const name = pid === selfPid ? 'memtriage' : comm ? want.get(comm) : undefined;
    if (!name) continue;
    // Kernel threads have comm too ("systemd" never is one, but a process may call itself anything):
    // an empty maps means no user memory, nothing to lock.
    const maps = await reader.readFile(`/proc/${pid}/maps`);
    if (maps == null || maps === '') continue;
    if (name !== 'memtriage') pidsByName.get(name)!.push(pid);
    found.push({ name, pid, ranges: parseMaps(maps) });
  }
  return { found, pidsByName };
}
