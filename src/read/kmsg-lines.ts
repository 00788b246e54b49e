/**
 * /dev/kmsg records ("6,1234,5678901,-;msg", `cat /dev/kmsg`), read without the patterns
 * parsePrefix tries before its KMSG one on a line that starts with a digit: journalctl's
 * short-unix ("1796121002.167685 host kernel: ", nine to eleven digits and a ".") and the ISO
 * forms ("2026-12-01T…", four digits and a "-") cannot match a record whose first field ends at
 * a ",". The record is read by the very same pattern; test/read/classic-lines.test.ts holds the
 * assembler with this reader to the one without on every fixture line.
 */
import type { KernelLine } from '../parse/types.js';
import { KMSG, kmsgFields } from './prefix.js';

/** The kernel line parsePrefix and KernelLineAssembler would make of a kmsg record (msg not yet elided), or null. */
export function readKmsgLine(input: number, line: number, piece: string): KernelLine | null {
  const c = piece.charCodeAt(0);
  if (c < 48 || c > 57) return null;
  const m = KMSG.exec(piece);
  // parsePrefix first takes ANSI colour escapes off a line that has any (looked for only on a
  // record: most digit-first lines fail the pattern within a few characters).
  if (!m || piece.includes('\x1b')) return null;
  const { uptimeSec, fromKernel, caller } = kmsgFields(m);
  return { input, line, text: piece, msg: piece.slice(m[0].length), prefixed: true, uptimeSec, time: null, timeText: null, caller, fromKernel };
}
