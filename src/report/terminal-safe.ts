/**
 * Text from an input (a process name in a console capture, a file name in `ls -l` output, a path
 * given on the command line) may hold raw control bytes. Written to a terminal, ESC and OSC
 * sequences retitle the window, clear the screen or hide lines, and CR overwrites what came
 * before on the line. Shown escaped instead (`\x1b`, `\r`), like `dmesg` and `ls` do; bidi
 * overrides too, since they reorder what a person reads. Tab and newline stay.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\r': '\\r', '\x1b': '\\x1b' };

export function terminalSafe(s: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(s)) return s;
  return s.replace(UNSAFE, (c) => NAMED[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
