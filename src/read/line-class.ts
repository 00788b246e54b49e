/**
 * The part of the fast reader that needs no parser state: which lines of a byte region could be
 * counted instead of decoded. Because it is pure, it runs on the main thread for stdin and gzip
 * (fast-scan.ts) and in worker threads for regular files (scan-worker.ts) with the same result.
 * LineClassifier here is the reference; the readers run its WebAssembly port (line-class-wasm.ts).
 *
 * Output is a list of runs, RUN_FIELDS numbers each: [kind, lines, start, year]. kind is a
 * FAST_FORMATS index (every line of the run has that kernel prefix, no marker, no NUL or CR, is
 * not a folded report) or DECODE (the lines must be decoded: markers, odd or missing prefixes).
 * year is the year the run's last line states, or -1; runs of one format all state one or none.
 * A run of countable lines is still decoded line by line by the feeder while a report is open.
 */
import { SCAN_MESSAGE_STARTS } from '../parse/kernel/markers.js';
import { findByte, MarkerScanner } from './marker-scan.js';
import { readBytePrefix, type BytePrefix } from './prefix-bytes.js';
import { blankLines } from './blank-lines.js';

export const RUN_FIELDS = 4;
export const DECODE = 255;
/** A line longer than a worker's buffer: [LONG, 1, start, end (its \n, or -1 at end of file)]. */
export const LONG = 254;
/**
 * Lines of nothing but spaces and tabs (or nothing), ending with \n or \r\n (decodeLine drops
 * that CR): [BLANK, n, start, -1]. While no report is open the sink may take a whole run at once
 * (run-feeder.ts); 10 MB of blank lines are then a few memcmp calls per chunk (blank-lines.ts
 * copies()), not 10 million decoded lines.
 */
export const BLANK = 253;
/** Bytes a worker reads and classifies at a time (scan-worker.ts); longer lines are LONG runs. */
export const READ_BYTES = 256 << 10;
/** unfold.ts never splits a line shorter than this. */
const FOLD_MIN_LENGTH = 160;
const digit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * Words a report-tail line starts with, by first byte (the check runs on every countable line):
 * a superset of the OOM kind's leading lines (oom/kind.ts). The zone words are followed by a
 * digit there ("Node 0 DMA32 free:…", "DMA32: 3*4kB …"), which keeps boot lines such as
 * "DMA: preallocated 128 KiB pool" and "  DMA      [mem 0x…]" countable: a kern.log repeats them
 * at every boot, and each one decoded costs the line after it too.
 */
export const TAIL_WORD_LIST: readonly { word: Buffer; digitAfter: boolean }[] =
  ['Tasks state', 'Total swap', 'Node #', 'Normal: #', 'lowmem_reserve', 'Free swap', 'Swap cache', 'DMA: #', 'DMA32: #', 'HighMem: #', 'Movable: #']
    .map((w) => ({ word: Buffer.from(w.replace('#', ''), 'latin1'), digitAfter: w.endsWith('#') }));
const TAIL_WORDS: ({ word: Buffer; digitAfter: boolean }[] | undefined)[] = new Array(256).fill(undefined);
for (const w of TAIL_WORD_LIST) TAIL_WORDS[w.word[0]] = [...(TAIL_WORDS[w.word[0]] ?? []), w];

function startsWith(b: Buffer, i: number, end: number, w: Buffer, digitAfter: boolean): boolean {
  if (end - i < w.length + (digitAfter ? 1 : 0)) return false;
  for (let k = 1; k < w.length; k++) if (b[i + k] !== w[k]) return false;
  return !digitAfter || digit(b[i + w.length]);
}

/**
 * The tail of an OOM report (task table rows "[    103]     0   103 …", "[  pid  ]", "Tasks state",
 * "Node N …" zone/buddy lines, "130942 pages RAM"…): decoded even while no report is open,
 * because a paste that starts there (`grep -A`, a cut copy) has them before the first marker, and
 * the OOM report opened after them takes them back (kernel-log.ts). A superset is fine: a line
 * decoded for nothing only costs time.
 */
function taskTableLine(b: Buffer, from: number, end: number): boolean {
  let i = from;
  while (i < end && b[i] === 0x20) i++;
  const c = b[i];
  if (c === 0x5b) return tableRow(b, i + 1, end);
  if (digit(c)) {
    while (i < end && digit(b[i])) i++;
    return b[i] === 0x20 && (b[i + 1] === 0x70 || b[i + 1] === 0x74); // " pages …", " total pagecache pages"
  }
  const words = TAIL_WORDS[c];
  if (words) for (const w of words) if (startsWith(b, i, end, w.word, w.digitAfter)) return true;
  return false;
}

/** "[    103]" or "[  pid  ]" after the "[" at i - 1. */
function tableRow(b: Buffer, i: number, end: number): boolean {
  while (i < end && b[i] === 0x20) i++;
  if (b[i] === 0x70) return true; // "[  pid  ]"
  const d = i;
  while (i < end && digit(b[i])) i++;
  return i > d && b[i] === 0x5d;
}

export const MESSAGE_STARTS = SCAN_MESSAGE_STARTS.map((w) => Buffer.from(w, 'latin1'));
const MESSAGE_FIRST = new Set(MESSAGE_STARTS.map((w) => w[0]));

/**
 * A message (from i, after any spaces) that starts with one of SCAN_MESSAGE_STARTS ("BUG: ",
 * "Oops: "): it may start a report, and the byte scan does not look for these short literals.
 */
function reportStartWord(b: Buffer, i: number, end: number): boolean {
  while (i < end && (b[i] === 0x20 || (b[i] >= 0x09 && b[i] <= 0x0d))) i++; // the patterns' ^\s*
  const c = b[i];
  if (c >= 0x80) return true; // a Unicode space (\s to the patterns) may come first: unsure, decode
  if (!MESSAGE_FIRST.has(c)) return false; // (B, O, k)
  for (const w of MESSAGE_STARTS) if (startsWith(b, i, end, w, false) && b[i] === w[0]) return true;
  return false;
}

/**
 * True when buf[i, end) holds a printable ASCII byte: a message of only spaces (or of bytes that
 * may decode to Unicode spaces) is an empty message, which the parser remembers ("[ 7.03] " alone,
 * its message wrapped to the next line), so such a line is decoded.
 */
function visibleFrom(buf: Buffer, i: number, end: number): boolean {
  for (; i < end; i++) if (buf[i] > 0x20 && buf[i] < 0x7f) return true;
  return false;
}

/** Lines that need no kernel prefix (an input whose head is not a kernel log): DECODE and BLANK runs. */
export function blanksOnly(buf: Buffer, s: number, e: number, base: number, out: number[]): number {
  let lines = 0, kind = -1, count = 0, start = 0;
  for (let ls = s; ls < e;) {
    const after = blankLines(buf, ls, e);
    const [k, n, next] = after.lines > 0 ? [BLANK, after.lines, after.end] : [DECODE, 1, buf.indexOf(10, ls) + 1];
    if (k === kind) count += n;
    else {
      if (count > 0) out.push(kind, count, base + start, -1);
      [kind, count, start] = [k, n, ls];
    }
    lines += n;
    ls = next;
  }
  if (count > 0) out.push(kind, count, base + start, -1);
  return lines;
}

/** The reference path: every line of buf[s, e) decoded, as one DECODE run. */
export function decodeAll(buf: Buffer, s: number, e: number, base: number, out: number[]): number {
  let lines = 0;
  for (let ls = s; ls < e; ls = buf.indexOf(10, ls) + 1) lines++;
  if (lines > 0) out.push(DECODE, lines, base + s, -1);
  return lines;
}

/**
 * The REFERENCE classifier. The readers run its port to WebAssembly (wasm/line-class.ts through
 * line-class-wasm.ts), which must give exactly these runs and this afterLeading for any bytes
 * (test/read/line-class-wasm.test.ts); this one is what the tests hold it to. A change to which
 * lines may be counted is made here (and in prefix-bytes.ts, marker-scan.ts) first, then ported.
 */
export class LineClassifier {
  private readonly markers = new MarkerScanner();
  private readonly probe: BytePrefix = { format: 0, msgFrom: 0, year: -1 };
  /**
   * The last non-blank line was decoded and may be a leading line (see classify): set by the
   * reader also where it starts in the middle of an input (a worker's part) or after a line it
   * cut itself, since what came before is not known here.
   */
  afterLeading = false;
  private readonly hits: number[] = [];
  private readonly nuls: number[] = [];
  private readonly crs: number[] = [];
  /** 0xE2, the first byte of "…" in UTF-8: journalctl's elision, which the assembler counts. */
  private readonly e2s: number[] = [];
  // Next ']' / "kernel: " at or after *From in the current buffer: lines ask in increasing order.
  private cacheBuf: Buffer | null = null;
  private bracketFrom = -1;
  private bracketAt = -1;
  private kernelFrom = -1;
  private kernelAt = -1;

  /**
   * Appends the runs of buf[s, e) — whole lines, each ending with \n — to out, with starts moved
   * by `base` (a worker reports file offsets). Returns the number of lines.
   */
  classify(buf: Buffer, s: number, e: number, base: number, out: number[]): number {
    const { hits, nuls, crs, e2s, probe } = this;
    this.cacheBuf = null; // the reader may hand the same memory again with other bytes
    hits.length = nuls.length = crs.length = e2s.length = 0;
    this.markers.scan(buf, s, e, hits);
    findByte(buf, s, e, 0, nuls);
    findByte(buf, s, e, 13, crs);
    findByte(buf, s, e, 0xe2, e2s);
    let h = 0, n = 0, c = 0, x = 0, lines = 0;
    let kind = -1, count = 0, start = 0, year = -1;
    for (let ls = s; ls < e; lines++) {
      const c0 = buf[ls];
      if (c0 === 10 || c0 === 0x20 || c0 === 9 || c0 === 13) {
        const after = blankLines(buf, ls, e);
        if (after.lines > 0) {
          if (kind === BLANK) count += after.lines;
          else {
            if (count > 0) out.push(kind, count, base + start, year);
            [kind, count, start] = [BLANK, after.lines, ls];
          }
          year = -1;
          lines += after.lines - 1;
          ls = after.end;
          continue;
        }
      }
      const nl = buf.indexOf(10, ls);
      const end = nl > ls && buf[nl - 1] === 13 ? nl - 1 : nl; // decodeLine drops a final CR
      while (h < hits.length && hits[h] < ls) h++;
      while (n < nuls.length && nuls[n] < ls) n++;
      while (c < crs.length && crs[c] < ls) c++;
      while (x < e2s.length && e2s[x] < ls) x++;
      const clean = !(h < hits.length && hits[h] < end) && !(n < nuls.length && nuls[n] < end) && !(c < crs.length && crs[c] < end) &&
        !(x < e2s.length && e2s[x] < end);
      const prefixed = clean && readBytePrefix(buf, ls, end, probe);
      const table = prefixed && taskTableLine(buf, probe.msgFrom, end);
      const k = prefixed && !table && !this.afterLeading && !reportStartWord(buf, probe.msgFrom, end) && visibleFrom(buf, probe.msgFrom, end) &&
        (end - ls < FOLD_MIN_LENGTH || !this.mayBeFolded(buf, probe.msgFrom, end)) ? probe.format : DECODE;
      // A decoded line the parser may keep as a report's leading line (a task-table row, or one
      // we cannot tell): the next non-blank line is decoded too, since that line is what makes
      // the parser forget it (kernel-log.ts LeadingLines), counted it would not.
      this.afterLeading = (k === DECODE && (!prefixed || table)) || nl - ls >= READ_BYTES; // a worker's LONG line
      if (k === kind) count++;
      else {
        if (count > 0) out.push(kind, count, base + start, year);
        [kind, count, start] = [k, 1, ls];
      }
      year = k === DECODE ? -1 : probe.year;
      ls = nl + 1;
    }
    if (count > 0) out.push(kind, count, base + start, year);
    return lines;
  }

  /**
   * unfold.ts splits before "[uptime] ", "[dmesg -T date] " and "… host kernel: " when a line holds
   * two of them. The prefix holds at most one, so a folded line has a digit + "] " or a
   * "kernel: " after its prefix: without either it is surely one line.
   */
  private mayBeFolded(buf: Buffer, from: number, end: number): boolean {
    if (this.cacheBuf !== buf) [this.cacheBuf, this.bracketFrom, this.kernelFrom] = [buf, -1, -1];
    for (let i = this.next(buf, from, 0x5d); i !== -1 && i < end; i = this.next(buf, i + 1, 0x5d)) {
      if (i + 1 < end && buf[i + 1] === 0x20 && digit(buf[i - 1])) return true;
    }
    if (this.kernelFrom === -1 || from < this.kernelFrom || (this.kernelAt !== -1 && this.kernelAt < from)) {
      this.kernelFrom = from;
      this.kernelAt = buf.indexOf('kernel: ', from, 'latin1');
    }
    return this.kernelAt !== -1 && this.kernelAt + 8 <= end;
  }

  private next(buf: Buffer, from: number, byte: number): number {
    if (this.bracketFrom === -1 || from < this.bracketFrom || (this.bracketAt !== -1 && this.bracketAt < from)) {
      this.bracketFrom = from;
      this.bracketAt = buf.indexOf(byte, from);
    }
    return this.bracketAt;
  }
}
