/**
 * Bytes → lines. Streams: never holds more than one chunk plus one partial line.
 * Handles CRLF and lone CR endings, strips NUL bytes (logs copied from a crashed box's disk often
 * carry runs of NULs where the file was preallocated), and decodes invalid UTF-8 to U+FFFD.
 */
const NL = 0x0a;
const CR = 0x0d;
/** A longer line is cut into pieces of this size so one 5 MB line cannot blow memory up. */
export const MAX_LINE_BYTES = 4 << 20;

const decoder = new TextDecoder('utf-8', { fatal: false });

export function decodeLine(buf: Uint8Array): string {
  let end = buf.length;
  if (end > 0 && buf[end - 1] === CR) end--;
  let s = decoder.decode(end === buf.length ? buf : buf.subarray(0, end));
  if (s.indexOf('\0') !== -1) s = s.replace(/\0+/g, '');
  // A lone CR inside a line is an old Mac line break or a terminal overwrite; treat it as a space.
  if (s.indexOf('\r') !== -1) s = s.replace(/\r/g, ' ');
  return s;
}

export interface RawLine {
  line: number;
  text: string;
  /** True when this piece was cut from a line longer than MAX_LINE_BYTES. */
  cut: boolean;
}

/** Yields each line's raw bytes; the consumer decides whether decoding is worth it. */
export async function* splitByteLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<{ bytes: Buffer; line: number; cut: boolean }> {
  let carry: Buffer | null = null;
  let lineNo = 0;
  for await (const chunk of chunks) {
    let buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = null;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(NL, start);
      if (nl === -1) break;
      lineNo++;
      yield { bytes: buf.subarray(start, nl), line: lineNo, cut: false };
      start = nl + 1;
    }
    let rest = buf.subarray(start);
    while (rest.length > MAX_LINE_BYTES) {
      lineNo++;
      yield { bytes: rest.subarray(0, MAX_LINE_BYTES), line: lineNo, cut: true };
      rest = rest.subarray(MAX_LINE_BYTES);
      lineNo--; // the rest of an over-long line keeps the same line number
    }
    if (rest.length > 0) carry = Buffer.from(rest);
  }
  if (carry && carry.length > 0) yield { bytes: carry, line: lineNo + 1, cut: false };
}

export async function* splitLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<RawLine> {
  for await (const b of splitByteLines(chunks)) yield { line: b.line, text: decodeLine(b.bytes), cut: b.cut };
}
