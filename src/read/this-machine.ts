import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { readKernelLog } from '../live/kmsg.js';
import { bootTimeFromUptime } from './boot-time.js';

const run = promisify(execFile);

/**
 * This machine's kernel log could not be read. Not "nothing found": the CLI says why and exits
 * with its own code (3), because an empty answer here would be a false all-clear.
 */
export class CouldNotLookError extends Error {}

function sysctl(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** journalctl prints "-- No entries --" (exit 0) when this user may read no journal file at all. */
function hasEntries(text: string): boolean {
  return text.split('\n').some((l) => l.trim() !== '' && !l.startsWith('-- '));
}

/**
 * This machine's kernel log, for `memtriage analyze` with no file on a sick box: /dev/kmsg
 * (exact timestamps), else dmesg (both read by the live side's reader), else journalctl -k.
 * With it the boot time, so records that carry only seconds since boot get a wall clock.
 * Throws CouldNotLookError saying why and how to get access.
 */
export async function readThisMachineLog(): Promise<{ source: string; text: string; bootTimeMs: number | null }> {
  const boot = () => {
    const up = sysctl('/proc/uptime');
    return up ? bootTimeFromUptime(up, Date.now()) : null;
  };
  const { log, errors } = await readKernelLog();
  if (log) return { source: log.name === 'kmsg.log' ? '/dev/kmsg' : 'dmesg', text: log.text, bootTimeMs: boot() };
  // dmesg's failure carries its exit status as code; its message says what went wrong.
  const why = errors.map((x) => `${x.path}: ${/^\d+$/.test(x.code) ? x.message.trim().split('\n').pop() : x.code}`);
  try {
    const { stdout, stderr } = await run('journalctl', ['-k', '-b', '--no-pager', '-o', 'short-iso'], { maxBuffer: 256 << 20, timeout: 30_000 });
    if (hasEntries(stdout)) return { source: 'journalctl -k', text: stdout, bootTimeMs: null };
    why.push(`journalctl -k: no entries visible${stderr.trim() ? ` (${stderr.trim().split('\n')[0]})` : ''}`);
  } catch (e) {
    why.push(`journalctl: ${(e as Error).message.split('\n')[0]}`);
  }
  const uid = process.getuid?.() ?? -1;
  const restrict = sysctl('/proc/sys/kernel/dmesg_restrict');
  const how = [
    uid !== 0 ? 'run it as root (sudo memtriage analyze)' : null,
    restrict === '1' ? 'kernel.dmesg_restrict=1 lets only root (CAP_SYSLOG) read the kernel log' : null,
    'or give the journal access to your user (the systemd-journal or adm group; a persistent journal keeps it across reboots)',
    'or pass a saved log: memtriage analyze /var/log/kern.log',
  ].filter(Boolean);
  throw new CouldNotLookError(`could not read this machine's kernel log as uid ${uid} (${why.join('; ')}). Nothing was analyzed: this is not an all-clear. To look: ${how.join('; ')}.`);
}
