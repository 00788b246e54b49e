/**
 * Bytes → lines for analyze, without decoding the lines that cannot matter. Most of a big kernel
 * log is noise: lines with a kernel prefix and none of the report markers. While no report is
 * open such a line changes nothing but counters (line count, prefix format, the year a dmesg -T
 * line states), so it is counted here from its bytes and never decoded, unfolded or regex-tested.
 * Every other line — a marker, NUL or CR in it, a prefix prefix-bytes.ts is unsure of, no prefix
 * at all (console/article text for the section parsers), a long line that may be several folded
 * lines, any line while a report is open — goes to the sink decoded, exactly as splitLines gives
 * it, so the results are those of the full path (test/read/fast-path.test.ts holds us to that).
 *
 * Why a JS byte scan and not `grep -b -F` as a locator: grep could only replace the marker scan,
 * since every line must still be visited to count it and check its prefix (the counters decide
 * the input's type and format); and this works for stdin and gzip too. README "Performance" has
 * the figures and the next step (doing the pre-scan on the second core).
 */
import { MAX_LINE_BYTES, decodeLine } from './lines.js';
import { findByte, MarkerScanner } from './marker-scan.js';
import { FAST_FORMATS, readBytePrefix, type BytePrefix } from './prefix-bytes.js';

export interface LineSink {
  /** True while no kernel report is open: only then may a marker-free kernel line be skipped. */
  idle(): boolean;
  line(line: number, text: string, cut: boolean): void;
  /** n lines of one prefix format were counted, not decoded; year: the last one's, or -1. */
  skipped(format: string, n: number, year: number): void;
}

/** The head decides: inputs that are not mostly kernel lines (articles, /proc dumps) go the full way. */
const HEAD_BYTES = 64 << 10;
const HEAD_KERNEL_SHARE = 0.9;
/** unfold.ts never splits a line shorter than this. */
const FOLD_MIN_LENGTH = 160;
const digit = (c: number): boolean => c >= 0x30 && c <= 0x39;

export class LineScanner {
  private mode: 'head' | 'fast' | 'full';
  private head: Buffer[] = [];
  private headBytes = 0;
  private carry: Buffer | null = null;
  private lineNo = 0;
  /** Number of the last line handed out or counted: the input's line count. */
  lastLine = 0;
  private readonly markers = new MarkerScanner();
  private readonly probe: BytePrefix = { format: 0, msgFrom: 0, year: -1 };
  private readonly counts = new Int32Array(FAST_FORMATS.length);
  private counted = false;
  private year = -1;
  private readonly hits: number[] = [];
  private readonly nuls: number[] = [];
  private readonly crs: number[] = [];
  // Next ']' / "kernel: " at or after *From in the current buffer: lines ask in increasing order.
  private cacheBuf: Buffer | null = null;
  private bracketFrom = -1;
  private bracketAt = -1;
  private kernelFrom = -1;
  private kernelAt = -1;

  constructor(private readonly sink: LineSink, fast = true) {
    this.mode = fast ? 'head' : 'full';
  }

  push(chunk: Buffer): void {
    if (this.mode !== 'head') return this.split(chunk);
    this.head.push(Buffer.from(chunk)); // the reader may reuse the chunk's memory for the next one
    this.headBytes += chunk.length;
    if (this.headBytes >= HEAD_BYTES) this.decide();
  }

  /** Call once after the last chunk. */
  end(): void {
    if (this.mode === 'head') this.decide();
    if (this.carry && this.carry.length > 0) this.emit(this.carry, 0, this.carry.length, this.lineNo + 1, false);
    this.carry = null;
    this.flushCounts();
  }

  private decide(): void {
    const head = this.head.length === 1 ? this.head[0] : Buffer.concat(this.head);
    this.head = [];
    const end = Math.min(head.length, HEAD_BYTES);
    let lines = 0;
    let kernel = 0;
    for (let s = 0, nl = head.indexOf(10); nl !== -1 && nl < end; s = nl + 1, nl = head.indexOf(10, s)) {
      if (nl === s || head.subarray(s, nl).every((c) => c === 0x20 || c === 0x09 || c === 0x0d)) continue;
      lines++;
      if (readBytePrefix(head, s, nl, this.probe)) kernel++;
    }
    this.mode = lines > 0 && kernel >= lines * HEAD_KERNEL_SHARE ? 'fast' : 'full';
    this.split(head);
  }

  /** The same cuts as splitByteLines: lines end at \n, a tail over MAX_LINE_BYTES is cut. */
  private split(chunk: Buffer): void {
    let from = 0;
    if (this.carry) {
      const nl = chunk.indexOf(10);
      const joined = Buffer.concat([this.carry, nl === -1 ? chunk : chunk.subarray(0, nl + 1)]);
      this.carry = null;
      if (nl === -1) return this.keepTail(joined, 0);
      this.region(joined, 0, joined.length);
      from = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= from) this.region(chunk, from, last + 1);
    this.keepTail(chunk, Math.max(from, last + 1));
  }

  private keepTail(buf: Buffer, from: number): void {
    let rest = buf.subarray(from);
    while (rest.length > MAX_LINE_BYTES) {
      this.emit(rest, 0, MAX_LINE_BYTES, this.lineNo + 1, true); // pieces share the line's number
      rest = rest.subarray(MAX_LINE_BYTES);
    }
    if (rest.length > 0) this.carry = Buffer.from(rest);
  }

  /** Lines in buf[s, e), each ending with \n. */
  private region(buf: Buffer, s: number, e: number): void {
    if (this.mode === 'full') {
      for (let ls = s; ls < e; ) {
        const nl = buf.indexOf(10, ls);
        this.emit(buf, ls, nl, ++this.lineNo, false);
        ls = nl + 1;
      }
      return;
    }
    const { hits, nuls, crs, probe, counts } = this;
    this.cacheBuf = null; // the reader may hand the same memory again with other bytes
    hits.length = nuls.length = crs.length = 0;
    this.markers.scan(buf, s, e, hits);
    findByte(buf, s, e, 0, nuls);
    findByte(buf, s, e, 13, crs);
    let h = 0, n = 0, c = 0;
    for (let ls = s; ls < e; ) {
      const nl = buf.indexOf(10, ls);
      const end = nl > ls && buf[nl - 1] === 13 ? nl - 1 : nl; // decodeLine drops a final CR
      const line = ++this.lineNo;
      while (h < hits.length && hits[h] < ls) h++;
      while (n < nuls.length && nuls[n] < ls) n++;
      while (c < crs.length && crs[c] < ls) c++;
      const clean = !(h < hits.length && hits[h] < end) && !(n < nuls.length && nuls[n] < end) && !(c < crs.length && crs[c] < end);
      if (clean && this.sink.idle() && readBytePrefix(buf, ls, end, probe) &&
          (end - ls < FOLD_MIN_LENGTH || !this.mayBeFolded(buf, probe.msgFrom, end))) {
        counts[probe.format]++;
        this.counted = true;
        if (probe.year !== -1) this.year = probe.year;
        this.lastLine = line;
      } else this.emit(buf, ls, nl, line, false);
      ls = nl + 1;
    }
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

  private emit(buf: Buffer, s: number, e: number, line: number, cut: boolean): void {
    this.flushCounts();
    this.lastLine = line;
    this.sink.line(line, decodeLine(buf.subarray(s, e)), cut);
  }

  private flushCounts(): void {
    if (!this.counted) return;
    for (let f = 0; f < this.counts.length; f++) {
      if (this.counts[f] > 0) this.sink.skipped(FAST_FORMATS[f], this.counts[f], this.year);
      this.counts[f] = 0;
    }
    this.counted = false;
    this.year = -1; // a year stated by a decoded line since then must not be overwritten
  }
}
