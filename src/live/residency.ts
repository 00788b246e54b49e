import { accessSync, closeSync, constants, fstatSync, openSync, statSync } from 'node:fs';

/** Page-cache residency of one file: the JSON contract of `cache --format json` (add, never rename). */
export interface Residency {
  path: string;
  sizeBytes: number;
  pages: number;
  /** null when the kernel would not tell (see `unknown`): never a guess. */
  cachedPages: number | null;
  percent: number | null;
  /** cachestat(2) only (null with mincore): dirty pages, and pages evicted recently enough that a
   *  re-read counts as a refault — the thrashing of seed 001, where kubelet's code kept being evicted. */
  dirtyPages: number | null;
  recentlyEvictedPages: number | null;
  method: 'cachestat' | 'mincore' | null;
  /** Why cachedPages is null: "not permitted" when this user may not ask about this file. */
  unknown: string | null;
}

export type ResidencyFn = (path: string, displayPath?: string) => Residency;

export class ResidencyError extends Error {
  constructor(readonly path: string, readonly code: string, message: string) {
    super(message);
  }
}

/** koffi (a native module) could not be loaded: only the live residency commands need it. */
export class NativeModuleError extends Error {}

const SYS_CACHESTAT: Record<string, number> = { x64: 451, arm64: 451, riscv64: 451, ppc64: 451, s390x: 451 };
const PROT_READ = 1;
const MAP_SHARED = 1;
const MAP_FAILED = 0xffffffffffffffffn;
const EPERM = 1;
// mincore's vector is one byte per page; map and ask in windows so a 100 GiB file costs 256 KiB.
const WINDOW_BYTES = 1 << 30;

/**
 * mincore(2) lies to users who could not write the file: since Linux 5.0 (commit 134fca9063ad,
 * a page-cache side channel fix) it reports every page of such a mapping as resident. It tells
 * the truth for the file's owner, a writer, or root (CAP_FOWNER/CAP_DAC_OVERRIDE).
 */
function mincoreTruthful(path: string, ownerUid: number): boolean {
  const euid = process.geteuid?.() ?? 0;
  if (euid === 0 || ownerUid === euid) return true;
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Counts resident pages without reading a byte of the file (reading would pull it in and change
 * the answer). cachestat(2) (Linux 6.5+) asks the page cache directly, and also tells how much was
 * evicted recently; older kernels, or a seccomp filter that refuses it, fall back to mincore(2) on
 * a read-only shared mmap, which only maps, never faults pages in. Newer kernels (seen on 6.18)
 * refuse cachestat with EPERM on a file the caller could not write, for the same side-channel
 * reason: that file's residency is "unknown (not permitted)", never mincore's invented 100 %.
 * koffi is loaded here, on first use, so commands that never measure residency (analyze, --help)
 * work without the native module.
 */
export async function createResidency(opts: { method?: 'auto' | 'mincore' } = {}): Promise<{ residency: ResidencyFn; pageSize: number }> {
  let koffi: (typeof import('koffi'))['default'];
  try {
    koffi = (await import('koffi')).default;
  } catch (e) {
    throw new NativeModuleError(`the native module koffi could not be loaded (${(e as Error).message.split('\n')[0]}); reinstall memtriage with "npm ci" on this machine's architecture`);
  }
  const libc = koffi.load('libc.so.6');
  const getpagesize = libc.func('int getpagesize(void)');
  const mmap = libc.func('void *mmap(void *addr, size_t len, int prot, int flags, int fd, int64_t off)');
  const munmap = libc.func('int munmap(void *addr, size_t len)');
  const mincore = libc.func('int mincore(void *addr, size_t len, _Out_ uint8_t *vec)');
  const syscall = libc.func('long syscall(long nr, ...)');
  const rangeT = koffi.struct({ off: 'uint64_t', len: 'uint64_t' });
  const statT = koffi.struct({ nr_cache: 'uint64_t', nr_dirty: 'uint64_t', nr_writeback: 'uint64_t', nr_evicted: 'uint64_t', nr_recently_evicted: 'uint64_t' });
  const pageSize: number = getpagesize();
  const nr = SYS_CACHESTAT[process.arch];
  let cachestatWorks = nr !== undefined && opts.method !== 'mincore';

  /** null: ask mincore; 'denied': the kernel refused this file. */
  const viaCachestat = (fd: number): { cached: number; dirty: number; recent: number } | 'denied' | null => {
    if (!cachestatWorks) return null;
    const out: Record<string, number> = {};
    const r = syscall(nr, 'int', fd, koffi.pointer(rangeT), { off: 0, len: 0 }, koffi.out(koffi.pointer(statT)), out, 'unsigned int', 0);
    if (r !== 0) {
      if (koffi.errno() === EPERM) return 'denied';
      // ENOSYS (before 6.5) or a seccomp filter: never ask again in this run.
      cachestatWorks = false;
      return null;
    }
    return { cached: Number(out.nr_cache), dirty: Number(out.nr_dirty), recent: Number(out.nr_recently_evicted) };
  };

  const viaMincore = (fd: number, size: number, path: string): number => {
    let cached = 0;
    for (let off = 0; off < size; off += WINDOW_BYTES) {
      const len = Math.min(WINDOW_BYTES, size - off);
      const addr = mmap(null, len, PROT_READ, MAP_SHARED, fd, off);
      if (koffi.address(addr) === MAP_FAILED) throw new ResidencyError(path, 'EMMAP', `mmap failed (errno ${koffi.errno()})`);
      try {
        const vec = Buffer.alloc(Math.ceil(len / pageSize));
        if (mincore(addr, len, vec) !== 0) throw new ResidencyError(path, 'EMINCORE', `mincore failed (errno ${koffi.errno()})`);
        for (let i = 0; i < vec.length; i++) cached += vec[i] & 1;
      } finally {
        munmap(addr, len);
      }
    }
    return cached;
  };

  const residency: ResidencyFn = (path, displayPath = path) => {
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      throw new ResidencyError(displayPath, (e as NodeJS.ErrnoException).code ?? 'EIO', (e as Error).message);
    }
    // Only regular files: opening a FIFO would block, a device has no page cache of its own.
    if (!st.isFile()) throw new ResidencyError(displayPath, 'ENOTREG', 'not a regular file');
    const fd = openRo(path, displayPath);
    try {
      const size = fstatSync(fd).size;
      const pages = Math.ceil(size / pageSize);
      const base = { path: displayPath, sizeBytes: size, pages };
      const cs = viaCachestat(fd);
      if (cs && cs !== 'denied') {
        return { ...base, cachedPages: cs.cached, percent: percentOf(cs.cached, pages), dirtyPages: cs.dirty, recentlyEvictedPages: cs.recent, method: 'cachestat', unknown: null };
      }
      if (!mincoreTruthful(path, st.uid)) {
        return { ...base, cachedPages: null, percent: null, dirtyPages: null, recentlyEvictedPages: null, method: null, unknown: 'not permitted' };
      }
      const cached = viaMincore(fd, size, displayPath);
      return { ...base, cachedPages: cached, percent: percentOf(cached, pages), dirtyPages: null, recentlyEvictedPages: null, method: 'mincore', unknown: null };
    } finally {
      closeSync(fd);
    }
  };
  return { residency, pageSize };
}

function percentOf(cached: number, pages: number): number {
  return pages === 0 ? 0 : Math.round((cached / pages) * 100000) / 1000;
}

function openRo(path: string, displayPath: string): number {
  // O_NOATIME keeps our look from touching atime, but needs ownership or CAP_FOWNER.
  const flags = constants.O_RDONLY | constants.O_NONBLOCK;
  try {
    return openSync(path, flags | constants.O_NOATIME);
  } catch {
    try {
      return openSync(path, flags);
    } catch (e) {
      throw new ResidencyError(displayPath, (e as NodeJS.ErrnoException).code ?? 'EIO', (e as Error).message);
    }
  }
}
