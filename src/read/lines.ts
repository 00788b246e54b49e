/**
 * One line's bytes → text, for the scanner (fast-scan.ts, run-feeder.ts) that cuts lines.
 * Handles CRLF and lone CR endings, strips NUL bytes (logs copied from a crashed box's disk often
 * carry runs of NULs where the file was preallocated), and decodes invalid UTF-8 to U+FFFD.
 */
const CR = 0x0d;
/** A longer line is cut into pieces of this size so one 5 MB line cannot blow memory up. */
export const MAX_LINE_BYTES = 4 << 20;

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Where the line's text ends: before a final CR (a CRLF ending), if any. */
function endBeforeCr(buf: Uint8Array, s: number, e: number): number {
  return e > s && buf[e - 1] === CR ? e - 1 : e;
}

/** A decoded line with its NUL bytes dropped and each lone CR made a space. */
function cleaned(s: string): string {
  if (s.indexOf('\0') !== -1) s = s.replace(/\0+/g, '');
  // A lone CR inside a line is an old Mac line break or a terminal overwrite; treat it as a space.
  if (s.indexOf('\r') !== -1) s = s.replace(/\r/g, ' ');
  return s;
}

export function decodeLine(buf: Uint8Array): string {
  const end = endBeforeCr(buf, 0, buf.length);
  // Blank lines are common (and millions of them a known slow case): no decoder call for them.
  if (end === 0) return '';
  return cleaned(decoder.decode(end === buf.length ? buf : buf.subarray(0, end)));
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * decodeLine(buf.subarray(s, e)) without the subarray (a Buffer object per decoded line) and
 * through Buffer's own UTF-8 reading, which replaces invalid bytes as TextDecoder does (the same
 * U+FFFD for the same bytes: test/read/lines.test.ts) but keeps a byte order mark that TextDecoder
 * takes off: a line starting with one goes the TextDecoder way.
 */
export function decodeRange(buf: Buffer, s: number, e: number): string {
  const end = endBeforeCr(buf, s, e);
  if (end === s) return '';
  if (end - s >= 3 && buf[s] === BOM[0] && buf[s + 1] === BOM[1] && buf[s + 2] === BOM[2]) return decodeLine(buf.subarray(s, e));
  return cleaned(buf.toString('utf8', s, end));
}
