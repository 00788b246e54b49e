import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readKernelLog } from '../live/kmsg.js';

const run = promisify(execFile);

/**
 * This machine's kernel log, for `memtriage analyze` with no file on a sick box: /dev/kmsg
 * (exact timestamps), else dmesg (both read by the live side's reader), else journalctl -k.
 */
export async function readThisMachineLog(): Promise<{ source: string; text: string }> {
  const { log, errors } = await readKernelLog();
  if (log) return { source: log.name === 'kmsg.log' ? '/dev/kmsg' : 'dmesg', text: log.text };
  try {
    const { stdout } = await run('journalctl', ['-k', '-b', '--no-pager'], { maxBuffer: 256 << 20, timeout: 30_000 });
    return { source: 'journalctl -k', text: stdout };
  } catch (e) {
    const why = [...errors.map((x) => `${x.path}: ${x.code}`), `journalctl: ${(e as Error).message.split('\n')[0]}`];
    throw new Error(`cannot read this machine's kernel log (${why.join('; ')}); run as root, or pass a log file`);
  }
}
