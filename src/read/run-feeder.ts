/**
 * The part of the fast reader that needs parser state: it walks the runs LineClassifier made
 * (line-class.ts) and, while no report is open, only counts the countable lines; every other line
 * is decoded and handed to the sink. Where the bytes come from is a LineReader: the chunk in
 * memory (fast-scan.ts), or the file itself read at offsets (file-lines.ts) when workers did the
 * classifying. Decoding a countable line instead of counting it never changes a result (the fast
 * path's invariant, test/read/fast-path.test.ts), so "unsure" always means "decode".
 */
import { decodeRange } from './lines.js';
import { BLANK, DECODE, LONG, RUN_FIELDS } from './line-class.js';
import { FAST_FORMATS } from './prefix-bytes.js';

export interface LineSink {
  /** True while no kernel report is open: only then may a marker-free kernel line be skipped. */
  idle(): boolean;
  /**
   * plain: the line came from a countable run (a kernel prefix the classifier read, no scan
   * needle, no "BUG: "/"Oops: " start, not folded): decoded only because a report is open. Such a
   * line holds no report start as read (the fast path's invariant); a sink may skip that test.
   */
  line(line: number, text: string, cut: boolean, plain?: boolean): void;
  /** n lines of one prefix format were counted, not decoded; year: the last one's, or -1. */
  skipped(format: string, n: number, year: number): void;
  /**
   * n blank lines (spaces and tabs only, maybe a CR before the \n) from `line` on, offered while idle. 0: the sink took them
   * as a whole, with the same effect as taking each from line(). k > 0: it took none; the first k
   * go through line() one by one and the rest is offered again (k >= n: all one by one). So a
   * sink that needs a few of them decoded (a section batch still holding other lines) does not
   * make the whole run cost a decoded line each.
   */
  blanks?(line: number, n: number): number;
}

export interface LineReader {
  /** Makes buf[s, e) the line that starts at pos (e: its \n); returns the position after the \n. */
  read(pos: number): number;
  buf: Buffer;
  s: number;
  e: number;
  /** A LONG run: the line from start to end (its \n, or -1: end of input), cut as LineScanner cuts it. */
  long?(start: number, end: number, emit: (text: string, cut: boolean) => void): void;
}

export class RunFeeder {
  /** Number of the last line handed out or counted: the input's line count. */
  lastLine = 0;
  private readonly counts = new Int32Array(FAST_FORMATS.length);
  private counted = false;
  private year = -1;

  constructor(private readonly sink: LineSink) {}

  /** Feeds runs[from, to) whose first line is numbered firstLine; returns the next line's number. */
  apply(runs: ArrayLike<number>, from: number, to: number, firstLine: number, reader: LineReader): number {
    let line = firstLine;
    for (let r = from; r < to; r += RUN_FIELDS) {
      const kind = runs[r], n = runs[r + 1];
      let pos = runs[r + 2];
      if (kind === LONG) {
        reader.long!(pos, runs[r + 3], (text, cut) => this.emit(line, text, cut));
        line++;
        continue;
      }
      let i = 0;
      if (kind === BLANK && this.sink.blanks) {
        while (i < n && this.sink.idle()) {
          this.flushCounts(); // as emit() would before each of them
          const k = this.sink.blanks(line + i, n - i);
          if (k <= 0) {
            this.lastLine = line + n - 1;
            i = n;
            break;
          }
          for (const stop = Math.min(n, i + k); i < stop; i++) pos = this.decode(reader, pos, line + i);
        }
        if (i === n) {
          line += n;
          continue;
        }
      }
      // Countable lines are decoded only while a report is open (it may need them).
      const plain = kind < FAST_FORMATS.length;
      for (; i < n && (kind === DECODE || kind === BLANK || !this.sink.idle()); i++) pos = this.decode(reader, pos, line + i, plain);
      if (i < n) {
        this.counts[kind] += n - i;
        this.counted = true;
        if (runs[r + 3] !== -1) this.year = runs[r + 3]; // the run's last line is among those counted
        this.lastLine = line + n - 1;
      }
      line += n;
    }
    return line;
  }

  /** Reads, decodes and hands out the line at pos; returns the position after it. */
  private decode(reader: LineReader, pos: number, line: number, plain = false): number {
    const next = reader.read(pos);
    this.emit(line, decodeRange(reader.buf, reader.s, reader.e), false, plain);
    return next;
  }

  emit(line: number, text: string, cut: boolean, plain = false): void {
    this.flushCounts();
    this.lastLine = line;
    this.sink.line(line, text, cut, plain);
  }

  /** Call once after the last run. */
  end(): void {
    this.flushCounts();
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
