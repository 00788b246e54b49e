import { execFile } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * This machine's kernel log, for `memtriage analyze` with no file on a sick box. /dev/kmsg gives
 * the whole ring buffer with exact timestamps; reading it non-blocking stops at its end instead of
 * waiting for new messages. Without permission for it, dmesg, then journalctl -k.
 */
export async function readThisMachineLog(): Promise<{ source: string; text: string }> {
  const errors: string[] = [];
  try {
    return { source: '/dev/kmsg', text: readKmsg() };
  } catch (e) {
    errors.push(`/dev/kmsg: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  for (const [cmd, args] of [['dmesg', []], ['journalctl', ['-k', '-b', '--no-pager']]] as const) {
    try {
      const { stdout } = await run(cmd, [...args], { maxBuffer: 256 << 20 });
      return { source: cmd, text: stdout };
    } catch (e) {
      errors.push(`${cmd}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`cannot read this machine's kernel log (${errors.join('; ')}); run as root, or pass a log file`);
}

function readKmsg(): string {
  const fd = openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK);
  const buf = Buffer.alloc(16384);
  const records: string[] = [];
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') break;
        if (code === 'EPIPE') continue; // the ring buffer overwrote records we had not read yet
        throw e;
      }
      if (n <= 0) break;
      records.push(buf.toString('utf8', 0, n).replace(/\n$/, ''));
    }
  } finally {
    closeSync(fd);
  }
  return records.join('\n') + '\n';
}
