import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import koffi from 'koffi';

const PROT_READ = 1;
const MAP_SHARED = 1;
const MAP_FAILED = 0xffffffffffffffffn;

/** One locked mapping, kept until released. */
export interface Held { addr: unknown; bytes: number }

export interface FileLock {
  path: string;
  ino: number;
  mtimeMs: number;
  size: number;
  held: Held[];
  bytes: number;
}

export class LockError extends Error {
  constructor(readonly path: string, message: string) { super(message); }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;
let libc: { mmap: Fn; munmap: Fn; mlock: Fn; munlock: Fn; pageSize: number } | null = null;

function lib() {
  if (libc) return libc;
  const l = koffi.load('libc.so.6');
  libc = {
    mmap: l.func('void *mmap(void *addr, size_t len, int prot, int flags, int fd, int64_t off)'),
    munmap: l.func('int munmap(void *addr, size_t len)'),
    mlock: l.func('int mlock(const void *addr, size_t len)'),
    munlock: l.func('int munlock(const void *addr, size_t len)'),
    pageSize: (l.func('int getpagesize(void)') as () => number)(),
  };
  return libc;
}

export function pageSize(): number {
  return lib().pageSize;
}

const ERRNO: Record<number, string> = { 1: 'EPERM', 11: 'EAGAIN', 12: 'ENOMEM' };

/**
 * mmap(PROT_READ, MAP_SHARED) of each range of the file, then mlock: the pages are read in and stay
 * in the page cache, shared with every process mapping the same file, until munlock. Not mlockall:
 * that locks the whole Node heap and V8 aborts at exit. The fd is closed at once (the mapping keeps
 * the inode). Ranges past the end of the file are cut: pages beyond EOF cannot be faulted in.
 */
export function lockFile(path: string, ranges: { offset: number; bytes: number }[]): FileLock {
  const c = lib();
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (e) {
    throw new LockError(path, `cannot open: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const held: Held[] = [];
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new LockError(path, 'not a regular file');
    const end = Math.ceil(st.size / c.pageSize) * c.pageSize;
    for (const r of ranges) {
      const bytes = Math.min(r.offset + r.bytes, end) - r.offset;
      if (bytes <= 0) continue;
      const addr = c.mmap(null, bytes, PROT_READ, MAP_SHARED, fd, r.offset);
      if (koffi.address(addr) === MAP_FAILED) throw new LockError(path, `mmap failed (errno ${koffi.errno()})`);
      if (c.mlock(addr, bytes) !== 0) {
        const errno = koffi.errno();
        c.munmap(addr, bytes);
        throw new LockError(path, `mlock failed: ${ERRNO[errno] ?? `errno ${errno}`}${errno === 12 || errno === 1 ? ' (RLIMIT_MEMLOCK reached: run as root or with CAP_IPC_LOCK)' : ''}`);
      }
      held.push({ addr, bytes });
    }
    return { path, ino: st.ino, mtimeMs: st.mtimeMs, size: st.size, held, bytes: held.reduce((a, h) => a + h.bytes, 0) };
  } catch (e) {
    release(held);
    throw e;
  } finally {
    closeSync(fd);
  }
}

export function release(held: Held[]): void {
  const c = lib();
  for (const h of held.splice(0)) {
    c.munlock(h.addr, h.bytes);
    c.munmap(h.addr, h.bytes);
  }
}
