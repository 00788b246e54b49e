/**
 * Whether an input is a kernel log the fast reader may count lines of, decided on its first
 * 64 KiB. Light on purpose (no report kinds imported): scan-prestart.ts asks it before the
 * parsers have loaded.
 */
import { readSync } from 'node:fs';
import { blankLines } from './blank-lines.js';
import { readBytePrefix, type BytePrefix } from './prefix-bytes.js';

/** The head decides: inputs that are not mostly kernel lines (articles, /proc dumps) go the full way. */
export const HEAD_BYTES = 64 << 10;
const HEAD_KERNEL_SHARE = 0.9;

/** True when the first HEAD_BYTES of an input are mostly lines with a prefix prefix-bytes.ts knows. */
export function headLooksFast(head: Buffer): boolean {
  const probe: BytePrefix = { format: 0, msgFrom: 0, year: -1 };
  const end = Math.min(head.length, HEAD_BYTES);
  let lines = 0;
  let kernel = 0;
  const stop = head.lastIndexOf(10, end - 1) + 1; // the lines wholly inside the head
  for (let s = 0; s < stop;) {
    const blank = blankLines(head, s, stop); // a run of them at once: 64 KiB of empty lines is 65,536 lines
    if (blank.lines > 0) {
      s = blank.end;
      continue;
    }
    const nl = head.indexOf(10, s);
    if (!blankUpTo(head, s, nl)) {
      lines++;
      if (readBytePrefix(head, s, nl, probe)) kernel++;
    }
    s = nl + 1;
  }
  return lines > 0 && kernel >= lines * HEAD_KERNEL_SHARE;
}

/** Only spaces, tabs and CRs in b[s, e) (a line with a CR is not one of blankLines'). */
function blankUpTo(b: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] !== 0x20 && b[i] !== 0x09 && b[i] !== 0x0d) return false;
  return true;
}

/**
 * Whether the regular file open at fd (size bytes) is a kernel log by its head: the one decision
 * behind reading a file through scan workers, made alike where scanInput (parallel-scan.ts) and
 * scan-prestart.ts make it. A head shorter than HEAD_BYTES (a file that shrank) says no.
 */
export function fastHeadAt(fd: number, size: number): boolean {
  const head = Buffer.allocUnsafe(Math.min(HEAD_BYTES, size));
  return readSync(fd, head, 0, head.length, 0) === head.length && headLooksFast(head);
}
