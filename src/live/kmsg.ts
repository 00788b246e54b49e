import { execFile } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';

export interface KernelLog {
  /** kmsg.log (raw /dev/kmsg records, "6,334,334829,-;msg") or dmesg.log. */
  name: string;
  text: string;
}

const MAX_BYTES = 16 << 20;

/**
 * The kernel ring buffer from /dev/kmsg, opened O_NONBLOCK so reaching the end returns EAGAIN
 * instead of waiting for the next message. Each read(2) returns exactly one record; EPIPE means
 * the record we were about to read was overwritten (the buffer wrapped) and reading simply goes on.
 * Records keep their continuation lines (" SUBSYSTEM=…"), as the kmsg parser expects.
 */
export function readKmsg(path = '/dev/kmsg'): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const parts: string[] = [];
  let total = 0;
  const buf = Buffer.alloc(16 << 10);
  try {
    while (total < MAX_BYTES) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') continue;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') break;
        throw e;
      }
      if (n === 0) break;
      const rec = buf.toString('utf8', 0, n);
      parts.push(rec.endsWith('\n') ? rec : rec + '\n');
      total += n;
    }
  } finally {
    closeSync(fd);
  }
  return parts.join('');
}

function dmesg(timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('dmesg', [], { timeout: timeoutMs, maxBuffer: MAX_BYTES }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

/**
 * /dev/kmsg first (exact timestamps, every record), else `dmesg` (kernel.dmesg_restrict=1 makes
 * both need CAP_SYSLOG; then the failure is returned for the manifest, not thrown).
 */
export async function readKernelLog(timeoutMs = 10_000): Promise<{ log: KernelLog | null; errors: { path: string; code: string; message: string }[] }> {
  const errors: { path: string; code: string; message: string }[] = [];
  try {
    return { log: { name: 'kmsg.log', text: readKmsg() }, errors };
  } catch (e) {
    errors.push({ path: '/dev/kmsg', code: (e as NodeJS.ErrnoException).code ?? 'EIO', message: (e as Error).message });
  }
  try {
    return { log: { name: 'dmesg.log', text: await dmesg(timeoutMs) }, errors };
  } catch (e) {
    errors.push({ path: 'dmesg', code: (e as NodeJS.ErrnoException).code?.toString() ?? 'EIO', message: (e as Error).message });
  }
  return { log: null, errors };
}
