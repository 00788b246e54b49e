/**
 * Bytes → lines for analyze, without decoding the lines that cannot matter. Most of a big kernel
 * log is noise: lines with a kernel prefix and none of the report markers. While no report is
 * open such a line changes nothing but counters (line count, prefix format, the year a dmesg -T
 * line states), so it is counted from its bytes and never decoded, unfolded or regex-tested.
 * Every other line — a marker, NUL, CR or a journalctl "…" in it, a prefix prefix-bytes.ts is unsure of, no prefix
 * at all (console/article text for the section parsers), a long line that may be several folded
 * lines, any line while a report is open — goes to the sink decoded, exactly as the full path gives
 * it, so the results are those of the full path (test/read/fast-path.test.ts holds us to that).
 *
 * Which lines could be counted is decided by line-class.ts (pure; run as its WebAssembly port,
 * line-class-wasm.ts, whose input region takes a copy of each chunk), what is done with them by
 * run-feeder.ts (parser state). This class runs both on one thread, for any chunk stream (stdin,
 * gzip, small files); regular files big enough use worker threads instead (parallel-scan.ts).
 */
import { decodeLine, MAX_LINE_BYTES } from './lines.js';
import { HEAD_BYTES, headLooksFast } from './head-check.js';
import { blanksOnly, decodeAll } from './line-class.js';
import { WasmLineClassifier } from './line-class-wasm.js';
import { type LineReader, type LineSink, RunFeeder } from './run-feeder.js';

export type { LineSink } from './run-feeder.js';

/** Lines of a chunk in memory: each region line ends with \n. */
class BufferLines implements LineReader {
  buf: Buffer = Buffer.alloc(0);
  s = 0;
  e = 0;
  read(pos: number): number {
    this.s = pos;
    this.e = this.buf.indexOf(10, pos);
    return this.e + 1;
  }
}

export class LineScanner {
  /** full: every line decoded (the reference path); plain: not a kernel log, only blank runs spared. */
  private mode: 'head' | 'fast' | 'plain' | 'full';
  private head: Buffer[] = [];
  private headBytes = 0;
  private carry: Buffer | null = null;
  private lineNo = 0;
  private readonly classifier = new WasmLineClassifier();
  private readonly feeder: RunFeeder;
  private readonly reader = new BufferLines();
  private readonly runs: number[] = [];

  constructor(sink: LineSink, fast = true) {
    this.mode = fast ? 'head' : 'full';
    this.feeder = new RunFeeder(sink);
  }

  /** Number of the last line handed out or counted: the input's line count. */
  get lastLine(): number {
    return this.feeder.lastLine;
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
    this.feeder.end();
  }

  private decide(): void {
    const head = this.head.length === 1 ? this.head[0] : Buffer.concat(this.head);
    this.head = [];
    this.mode = headLooksFast(head) ? 'fast' : 'plain';
    this.split(head);
  }

  /** Lines end at \n; a tail over MAX_LINE_BYTES is cut into pieces that share its line number. */
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
    const runs = this.runs;
    runs.length = 0;
    const c = this.classifier;
    const lines = this.mode === 'full' ? decodeAll(buf, s, e, 0, runs) : this.mode === 'plain' ? blanksOnly(buf, s, e, 0, runs) : c.classify(buf, s, e, 0, runs);
    this.reader.buf = buf;
    this.feeder.apply(runs, 0, runs.length, this.lineNo + 1, this.reader);
    this.lineNo += lines;
  }

  private emit(buf: Buffer, s: number, e: number, line: number, cut: boolean): void {
    this.classifier.afterLeading = true; // a line decoded outside the classifier
    this.feeder.emit(line, decodeLine(buf.subarray(s, e)), cut);
  }
}
