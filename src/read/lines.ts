/**
 * One line's bytes → text, for the scanner (fast-scan.ts, run-feeder.ts) that cuts lines.
 * Handles CRLF and lone CR endings, strips NUL bytes (logs copied from a crashed box's disk often
 * carry runs of NULs where the file was preallocated), and decodes invalid UTF-8 to U+FFFD.
 */
const CR = 0x0d;
/** A longer line is cut into pieces of this size so one 5 MB line cannot blow memory up. */
export const MAX_LINE_BYTES = 4 << 20;

const decoder = new TextDecoder('utf-8', { fatal: false });

export function decodeLine(buf: Uint8Array): string {
  // Blank lines are common (and millions of them a known slow case): no decoder call for them.
  if (buf.length === 0 || (buf.length === 1 && buf[0] === CR)) return '';
  let end = buf.length;
  if (end > 0 && buf[end - 1] === CR) end--;
  let s = decoder.decode(end === buf.length ? buf : buf.subarray(0, end));
  if (s.indexOf('\0') !== -1) s = s.replace(/\0+/g, '');
  // A lone CR inside a line is an old Mac line break or a terminal overwrite; treat it as a space.
  if (s.indexOf('\r') !== -1) s = s.replace(/\r/g, ' ');
  return s;
}
