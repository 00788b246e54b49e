import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** koffi is CommonJS: required on first use instead of imported at start. */
const koffiSync = (): typeof import('koffi').default => require('koffi') as typeof import('koffi').default;

/**
 * The few syscalls Node has no API for, through koffi (already used for cachestat/mincore).
 * Numbers: syscalls added since Linux 5.1 share one number on every architecture (the unified
 * asm-generic table that x86_64's syscall_64.tbl follows from 424 on), so x86_64 and arm64 agree:
 *   pidfd_send_signal 424 (5.1), pidfd_open 434 (5.3), process_mrelease 448 (5.15), cachestat 451 (6.5).
 * Older numbers differ between architectures; none is used here.
 */
const NR = { pidfd_send_signal: 424, pidfd_open: 434, process_mrelease: 448, cachestat: 451 } as const;
const SUPPORTED = new Set(['x64', 'arm64']);

export interface Syscalls {
  /** A pidfd for pid, or a negative errno. */
  pidfdOpen(pid: number): number;
  /** 0 or a negative errno (-3 ESRCH: the process is gone). Signal 0 only checks it is alive. */
  pidfdSendSignal(pidfd: number, signal: number): number;
  /** Frees a dying process's memory now instead of when its last thread exits; 0 or negative errno. */
  processMrelease(pidfd: number): number;
  /** cachestat(2) over the whole file: nr_recently_evicted pages, or null when unsupported. */
  recentlyEvictedPages(fd: number): number | null;
  close(fd: number): void;
}

let cached: Syscalls | null = null;

/**
 * The real syscalls, bound on first use (koffi and libc cost a few MiB of RSS: a dry-run guard on a
 * host without protected daemons never needs them). Throws at once on an unknown architecture.
 */
export function realSyscalls(): Syscalls {
  if (!SUPPORTED.has(process.arch)) throw new Error(`memtriage guard: syscall numbers are only known for x86_64 and arm64, not ${process.arch}`);
  let bound: Syscalls | null = null;
  const b = () => (bound ??= bind(koffiSync()));
  return {
    pidfdOpen: (pid) => b().pidfdOpen(pid),
    pidfdSendSignal: (fd, sig) => b().pidfdSendSignal(fd, sig),
    processMrelease: (fd) => b().processMrelease(fd),
    recentlyEvictedPages: (fd) => b().recentlyEvictedPages(fd),
    close: (fd) => b().close(fd),
  };
}

function bind(koffi: typeof import('koffi').default): Syscalls {
  if (cached) return cached;
  const libc = koffi.load('libc.so.6');
  const syscall = libc.func('long syscall(long nr, ...)');
  const closeFn = libc.func('int close(int fd)');
  const rangeT = koffi.struct('mt_guard_cachestat_range', { off: 'uint64_t', len: 'uint64_t' });
  const statT = koffi.struct('mt_guard_cachestat', { nr_cache: 'uint64_t', nr_dirty: 'uint64_t', nr_writeback: 'uint64_t', nr_evicted: 'uint64_t', nr_recently_evicted: 'uint64_t' });
  const ret = (r: number | bigint) => {
    const n = Number(r);
    return n < 0 ? -koffi.errno() : n;
  };
  let cachestatWorks = true;
  cached = {
    pidfdOpen: (pid) => ret(syscall(NR.pidfd_open, 'int', pid, 'unsigned int', 0)),
    pidfdSendSignal: (pidfd, signal) => ret(syscall(NR.pidfd_send_signal, 'int', pidfd, 'int', signal, 'void *', null, 'unsigned int', 0)),
    processMrelease: (pidfd) => ret(syscall(NR.process_mrelease, 'int', pidfd, 'unsigned int', 0)),
    recentlyEvictedPages: (fd) => {
      if (!cachestatWorks) return null;
      const out: Record<string, number | bigint> = {};
      const r = Number(syscall(NR.cachestat, 'int', fd, koffi.pointer(rangeT), { off: 0, len: 0 }, koffi.out(koffi.pointer(statT)), out, 'unsigned int', 0));
      if (r !== 0) {
        cachestatWorks = false; // ENOSYS before 6.5, EPERM under seccomp: stop asking.
        return null;
      }
      return Number(out.nr_recently_evicted);
    },
    close: (fd) => void closeFn(fd),
  };
  return cached;
}
