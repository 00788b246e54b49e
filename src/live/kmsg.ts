import { execFile } from 'node:child_process';
import { KmsgTail } from './kmsg-tail.js';

export interface KernelLog {
  /** kmsg.log (raw /dev/kmsg records, "6,334,334829,-;msg") or dmesg.log. */
  name: string;
  text: string;
}

const MAX_BYTES = 16 << 20;

/**
 * The kernel ring buffer from /dev/kmsg as one text: one poll of a KmsgTail (non-blocking; EPIPE
 * overruns skipped), records with their continuation lines (" SUBSYSTEM=…"), as the kmsg parser expects.
 */
export function readKmsg(path = '/dev/kmsg'): string {
  const tail = new KmsgTail(path, MAX_BYTES);
  tail.open();
  try {
    return tail.poll().map((r) => r.text).join('');
  } finally {
    tail.close();
  }
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
