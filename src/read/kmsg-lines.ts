/**
 * /dev/kmsg records ("6,1234,5678901,-;msg", `cat /dev/kmsg`), read without the patterns
 * parsePrefix tries before its KMSG one on a line that starts with a digit: journalctl's
 * short-unix ("1796121002.167685 host kernel: ", nine to eleven digits and a ".") and the ISO
 * forms ("2026-12-01T…", four digits and a "-") cannot match a record whose first field ends at
 * a ",". The record is read by the very same pattern; test/read/classic-lines.test.ts holds the
 * assembler with this reader to the one without on every fixture line.
 */
import type { KernelLine } from '../parse/types.js';
import { KMSG } from './prefix.js';

const CALLER = /(?:^|,)caller=([TC]\d+)/;

/** The kernel line parsePrefix and KernelLineAssembler would make of a kmsg record (msg not yet elided), or null. */
export function readKmsgLine(input: number, line: number, piece: string): KernelLine | null {
  const c = piece.charCodeAt(0);
  if (c < 48 || c > 57) return null;
  // parsePrefix first takes ANSI colour escapes off a line that has any.
  if (piece.includes('\x1b')) return null;
  const m = KMSG.exec(piece);
  if (!m) return null;
  const caller = CALLER.exec(m[4]);
  // The first field is facility * 8 + level: user space writing to /dev/kmsg gets facility 1.
  return { input, line, text: piece, msg: piece.slice(m[0].length), prefixed: true, uptimeSec: Number(m[3]) / 1e6, time: null, timeText: null,
    caller: caller ? caller[1] : null, fromKernel: Number(m[1]) >> 3 === 0 };
}
