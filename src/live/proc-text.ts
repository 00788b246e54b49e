/**
 * Small pure readers for the /proc and /sys files the section parsers do not cover (they read what
 * people paste into tickets; these read what only a live machine has). Never throw.
 */

/** "VmRSS:\t  1720 kB" lines (status, smaps_rollup) → { VmRSS: 1720 }; values without a unit are kept as is. */
export function parseColonKb(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^([\w()]+):\s+(-?\d+)(?:\s+kB)?\s*$/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

/** "Name:\tjava" → "java" from /proc/PID/status. */
export function statusField(text: string, key: string): string | null {
  const m = new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(text);
  return m ? m[1].trim() : null;
}

/** memory.stat, vmstat, arcstats data rows: "name value" (extra columns ignored). */
export function parseSpaceKv(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+)\s+(?:\d+\s+)?(-?\d+)\s*$/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

export interface ModuleRow {
  name: string;
  sizeBytes: number;
  refcount: number;
  usedBy: string[];
}

/** /proc/modules: "nvidia 35307520 1346 nvidia_modeset,nvidia_uvm, Live 0x0000000000000000 (POE)". */
export function parseModules(text: string): ModuleRow[] {
  const out: ModuleRow[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || !/^\d+$/.test(f[1])) continue;
    out.push({
      name: f[0],
      sizeBytes: Number(f[1]),
      refcount: Number(f[2]) || 0,
      usedBy: (f[3] ?? '-').split(',').filter((x) => x && x !== '-'),
    });
  }
  return out;
}

export interface MapsFile {
  path: string;
  /** "fd:01:1234": same file across processes and mount namespaces. */
  key: string;
  deleted: boolean;
}

/**
 * File-backed mappings of /proc/PID/maps, one per file. Pseudo paths ([heap], [vdso]), anonymous
 * mappings (inode 0) and "/dev/" device mappings (GPU apertures, /dev/zero) are left out: they are
 * not page cache.
 */
export function parseMapsFiles(text: string): MapsFile[] {
  const seen = new Map<string, MapsFile>();
  for (const line of text.split('\n')) {
    const m = /^[0-9a-f]+-[0-9a-f]+\s+\S+\s+[0-9a-f]+\s+([0-9a-f]+:[0-9a-f]+)\s+(\d+)\s+(\/.*)$/.exec(line);
    if (!m || m[2] === '0') continue;
    let path = m[3];
    const deleted = path.endsWith(' (deleted)');
    if (deleted) path = path.slice(0, -' (deleted)'.length);
    if (path.startsWith('/dev/') && !path.startsWith('/dev/shm/')) continue;
    const key = `${m[1]}:${m[2]}`;
    if (!seen.has(key)) seen.set(key, { path, key, deleted });
  }
  return [...seen.values()];
}

export interface Mount {
  dev: string;
  mountPoint: string;
  fsType: string;
  superOptions: string[];
}

/** /proc/self/mountinfo rows: "25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=…". */
export function parseMountinfo(text: string): Mount[] {
  const out: Mount[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-', 6);
    if (f.length < 10 || dash < 0) continue;
    out.push({ dev: f[2], mountPoint: unescape(f[4]), fsType: f[dash + 1], superOptions: (f[dash + 3] ?? '').split(',') });
  }
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/**
 * In-memory filesystems whose pages are Shmem, not page cache, one per device: a mount point
 * mounted twice shows only the later mount (statfs sees the top one), and a bind mount of the same
 * tmpfs would count it twice.
 */
export function memoryMounts(mounts: Mount[]): Mount[] {
  const byPoint = new Map<string, Mount>();
  for (const m of mounts) if (/^(tmpfs|ramfs|devtmpfs)$/.test(m.fsType)) byPoint.set(m.mountPoint, m);
  const byDev = new Map<string, Mount>();
  for (const m of byPoint.values()) if (!byDev.has(m.dev)) byDev.set(m.dev, m);
  return [...byDev.values()];
}

export function onMount(path: string, mountPoints: readonly string[]): boolean {
  return mountPoints.some((m) => path === m || path.startsWith(m === '/' ? '/' : m + '/'));
}

/**
 * Pages of thread stacks in /proc/vmallocinfo (root only). With CONFIG_VMAP_STACK each stack is a
 * vmalloc area whose caller is the fork path: alloc_thread_stack_node, or dup_task_struct /
 * copy_process / kernel_clone where it was inlined (6.18 prints "kernel_clone+0xb8/0x400").
 */
export function vmallocStackPages(text: string): number {
  let pages = 0;
  for (const m of text.matchAll(/^\S+\s+\d+\s+(\S+)\s.*\bpages=(\d+)\b.*\bvmalloc\b/gm)) {
    if (/^(alloc_thread_stack_node|dup_task_struct|copy_process|kernel_clone)\+/.test(m[1])) pages += Number(m[2]);
  }
  return pages;
}
