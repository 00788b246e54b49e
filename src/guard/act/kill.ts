import { createRequire } from 'node:module';
import type { Syscalls } from '../syscalls.js';

const SIGTERM = 15;
const SIGKILL = 9;
const ESRCH = 3;

export interface KillResult {
  pid: number;
  comm: string;
  /** The last signal sent. */
  signal: 'SIGTERM' | 'SIGKILL' | null;
  exited: boolean;
  /** From the first signal to the pidfd saying the process is gone. */
  msToExit: number | null;
  /** process_mrelease after SIGKILL: 0 freed at once, a negative errno otherwise (EINVAL: it had exited already). */
  mrelease: number | null;
  error: string | null;
}

export interface KillDeps {
  sys: Syscalls;
  /** pidfd readable = the process exited (poll(2) POLLIN with a zero timeout: never blocks). */
  exited(pidfd: number): boolean;
  nowMs(): number;
  sleep(ms: number): Promise<void>;
  /** The process's start time now (to refuse a reused pid), or null when unreadable. */
  startTicks(pid: number): Promise<number | null>;
}

let pollFn: ((fds: Buffer, n: number, timeout: number) => number) | null = null;
/** poll(2) on one pidfd with a zero timeout. */
export function pidfdExited(pidfd: number): boolean {
  if (!pollFn) {
    // Bound on first use (koffi is only loaded when the guard acts).
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi').default;
    const libc = koffi.load('libc.so.6');
    pollFn = libc.func('int poll(_Inout_ uint8_t *fds, unsigned long nfds, int timeout)') as unknown as typeof pollFn;
  }
  // struct pollfd { int fd; short events; short revents; } = 8 bytes; POLLIN = 1.
  const buf = Buffer.alloc(8);
  buf.writeInt32LE(pidfd, 0);
  buf.writeInt16LE(1, 4);
  const r = pollFn!(buf, 1, 0);
  return r > 0 && (buf.readInt16LE(6) & 1) !== 0;
}

/**
 * Kills one process through a pidfd: the pidfd pins the process, so a pid reused between the
 * decision and the signal cannot be hit (its start time is checked once the pidfd is held).
 * SIGTERM, up to graceMs for it to exit, then SIGKILL and process_mrelease(2), which frees the
 * dying process's memory at once instead of when its last thread finishes exiting.
 */
export async function killViaPidfd(deps: KillDeps, pid: number, comm: string, startTicks: number | null, graceMs: number): Promise<KillResult> {
  const res: KillResult = { pid, comm, signal: null, exited: false, msToExit: null, mrelease: null, error: null };
  const fd = deps.sys.pidfdOpen(pid);
  if (fd < 0) {
    res.error = fd === -ESRCH ? 'already gone' : `pidfd_open failed (errno ${-fd})`;
    res.exited = fd === -ESRCH;
    return res;
  }
  try {
    if (startTicks != null) {
      const now = await deps.startTicks(pid);
      if (now != null && now !== startTicks) {
        res.error = `pid ${pid} now belongs to another process (start time ${now}, expected ${startTicks}); not signalled`;
        return res;
      }
    }
    const t0 = deps.nowMs();
    const send = (sig: number, name: 'SIGTERM' | 'SIGKILL') => {
      const r = deps.sys.pidfdSendSignal(fd, sig);
      if (r === 0) res.signal = name;
      else if (r !== -ESRCH) res.error = `pidfd_send_signal(${name}) failed (errno ${-r})`;
      return r;
    };
    if (send(SIGTERM, 'SIGTERM') === -ESRCH) res.exited = true;
    while (!res.exited && deps.nowMs() - t0 < graceMs) {
      if (deps.exited(fd)) res.exited = true;
      else await deps.sleep(10);
    }
    if (!res.exited) {
      send(SIGKILL, 'SIGKILL');
      res.mrelease = deps.sys.processMrelease(fd);
      while (!res.exited && deps.nowMs() - t0 < graceMs + 5000) {
        if (deps.exited(fd)) res.exited = true;
        else await deps.sleep(10);
      }
    }
    if (res.exited) res.msToExit = deps.nowMs() - t0;
    return res;
  } finally {
    deps.sys.close(fd);
  }
}
