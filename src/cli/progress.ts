import { terminalSafe } from '../report/terminal-safe.js';
import type { CliIO } from './command.js';

const MIB = 1 << 20;

/**
 * "reading kern.log: 412 of 1024 MiB (40 %), 230 MiB/s" on stderr: only on a terminal, only after
 * the first second, redrawn at most 5 times a second, erased when done. Never on a pipe or file.
 */
export function byteProgress(stream: CliIO['stderr'], now: () => number = Date.now) {
  const start = now();
  let last = 0;
  let shown = false;
  return {
    update: (input: string, bytes: number, total: number | null): void => {
      if (!stream.isTTY) return;
      const t = now();
      if (t - start < 1000 || t - last < 200) return;
      last = t;
      shown = true;
      const rate = bytes / MIB / ((t - start) / 1000);
      const of = total ? ` of ${(total / MIB).toFixed(0)} MiB (${Math.floor((bytes / total) * 100)} %)` : ' MiB';
      const name = terminalSafe(input.length > 40 ? '…' + input.slice(-39) : input);
      stream.write(`\r\x1b[Kreading ${name}: ${(bytes / MIB).toFixed(0)}${of}, ${rate.toFixed(0)} MiB/s`);
    },
    done: (): void => {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
