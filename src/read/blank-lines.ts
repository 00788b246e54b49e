/**
 * Runs of blank lines on raw bytes, shared by the line classifiers (line-class.ts) and the head
 * check (head-check.ts). A module of its own with no imports, so the head check and the scan
 * workers' start-up (scan-prestart.ts) need not load the report kinds.
 */
const BLANK_RESULT = { lines: 0, end: 0 };

/**
 * The blank lines (only spaces and tabs before their \n or \r\n) from ls on in buf[ls, e), whose
 * lines all end with \n: how many, and where the first other line starts. A blank line followed by
 * copies of itself (10 MB of "\n", of "        \n") is counted by copies(), in native memcmp
 * calls, so a long run costs no JS work per line.
 */
export function blankLines(buf: Buffer, ls: number, e: number): { lines: number; end: number } {
  let n = 0, p = ls;
  for (;;) {
    let j = p;
    while (j < e && (buf[j] === 0x20 || buf[j] === 9)) j++;
    if (buf[j] === 13 && j + 1 < e) j++; // a CRLF line: decodeLine drops the CR, the line is as blank
    if (j >= e || buf[j] !== 10) break;
    const k = copies(buf, p, j + 1 - p, e);
    n += k;
    p += k * (j + 1 - p);
  }
  BLANK_RESULT.lines = n;
  BLANK_RESULT.end = p;
  return BLANK_RESULT;
}

/** The first copies are compared byte by byte: a short run makes no native call. */
const BYTE_COMPARE = 64;

/**
 * How many copies of the line buf[s, s + len) follow each other from s (at least 1, the line
 * itself), within buf[s, e). Copies back to back are bytes equal to the byte len before them, so
 * one memcmp of buf[end, e) against itself shifted by len tells whether the run goes on to the
 * chunk's end, as in a file of blank lines (and memcmp stops at the first difference). Else a
 * galloping then halving search finds that difference: O(log) calls, each comparing bytes of the
 * run once or stopping at the difference.
 */
export function copies(buf: Buffer, s: number, len: number, e: number): number {
  let end = s + len;
  for (let i = end; end + len <= e && end - s < BYTE_COMPARE; end += len, i = end) {
    while (i < end + len && buf[i] === buf[i - len]) i++;
    if (i < end + len) return (end - s) / len;
  }
  if (end >= e || same(buf, end, e, len)) return Math.floor((e - s) / len);
  let m = BYTE_COMPARE;
  while (end + m < e && same(buf, end, end + m, len)) {
    end += m;
    m *= 2;
  }
  // buf[s, end) is copies; the first byte unlike the one len before it is in [end, hi).
  let hi = Math.min(end + m, e);
  while (hi - end > 1) {
    const mid = (end + hi) >>> 1;
    if (same(buf, end, mid, len)) end = mid;
    else hi = mid;
  }
  return Math.floor((end - s) / len);
}

/** buf[from, to) equals buf[from - len, to - len]. */
function same(buf: Buffer, from: number, to: number, len: number): boolean {
  return buf.compare(buf, from - len, to - len, from, to) === 0;
}
