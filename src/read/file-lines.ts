/**
 * Lines of a regular file read at offsets, for the main thread when workers classified the file
 * (parallel-scan.ts): it only needs the lines it decodes — markers, reports, odd lines — which
 * are few and mostly next to each other, so one window read with pread serves many of them.
 */
import { readSync } from 'node:fs';
import { LineScanner } from './fast-scan.js';
import { READ_BYTES } from './line-class.js';
import type { LineReader } from './run-feeder.js';
import { CHUNK_BYTES } from './open.js';

/** Bytes read at a time while no line needs more. */
const WINDOW_BYTES = 4 << 10;

export class FileLines implements LineReader {
  // Every line a worker did not send as LONG fits in its READ_BYTES buffer, so in this window too.
  private readonly window: Buffer = Buffer.allocUnsafe(READ_BYTES);
  buf: Buffer = this.window;
  private attachedBytes: Uint8Array | null = null;
  private attachedBuf: Buffer = Buffer.alloc(0);
  s = 0;
  e = 0;
  private start = 0;
  private length = 0;
  /** window[0, length): what the last fill read. */
  private filled: Buffer = this.window.subarray(0, 0);

  constructor(private readonly fd: number, private readonly size: number) {}

  /** Lines a worker sent with its runs (scan-worker.ts): [file start, file end, offset] in file order. */
  private segments: Float64Array = new Float64Array(0);
  private bytes: Uint8Array = new Uint8Array(0);
  private seg = 0;

  attach(segments: Float64Array, bytes: Uint8Array): void {
    this.segments = segments;
    this.bytes = bytes;
    this.seg = 0;
  }

  read(pos: number): number {
    // Lines are read in file order, so the segments are walked once.
    const sg = this.segments;
    while (this.seg < sg.length && sg[this.seg + 1] <= pos) this.seg += 3;
    if (this.seg < sg.length && sg[this.seg] <= pos) {
      const off = sg[this.seg + 2] + pos - sg[this.seg];
      // (Buffer's indexOf, over the same bytes: a third of the time of Uint8Array's per line)
      const attached = this.attached();
      const nl = attached.indexOf(10, off);
      if (nl !== -1 && nl < sg[this.seg + 2] + sg[this.seg + 1] - sg[this.seg]) {
        this.buf = attached;
        this.s = off;
        this.e = nl;
        return pos + nl - off + 1;
      }
    }
    if (this.buf !== this.window) this.buf = this.window;
    let i = pos - this.start;
    let nl = i >= 0 && i < this.length ? this.newline(i) : -1;
    if (nl === -1) {
      // A small window first: the lines decoded are a report every few hundred KiB, and reading
      // 256 KiB for each read the file a second time (1 s of the 1 GiB bench log's main thread);
      // most are a lone line (a task-table row with no report) a few KiB from the last.
      this.fill(pos, WINDOW_BYTES);
      i = 0;
      nl = this.newline(0);
      if (nl === -1 && this.length === WINDOW_BYTES) {
        this.fill(pos, this.window.length);
        nl = this.newline(0);
      }
      if (nl === -1) throw new Error(`no line end after byte ${pos}: the file changed while it was read`);
    }
    this.s = i;
    this.e = nl;
    return this.start + nl + 1;
  }

  /**
   * A line too long for a worker's buffer. It is replayed through a LineScanner that reads it in
   * the chunks the one-thread path reads (CHUNK_BYTES, aligned to the file's start), because a
   * line over MAX_LINE_BYTES is cut where those chunks end: the same pieces, the same problems.
   */
  long(start: number, end: number, emit: (text: string, cut: boolean) => void): void {
    const scanner = new LineScanner({ idle: () => true, line: (_l, text, cut) => emit(text, cut), skipped: () => undefined }, false);
    const stop = end === -1 ? this.size : end + 1;
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let pos = start; pos < stop; ) {
      const len = Math.min(stop, (Math.floor(pos / CHUNK_BYTES) + 1) * CHUNK_BYTES) - pos;
      const got = readSync(this.fd, chunk, 0, len, pos);
      if (got === 0) break;
      scanner.push(chunk.subarray(0, got));
      pos += got;
    }
    scanner.end();
  }

  /** The attached bytes as a Buffer (decodeLine takes a subarray of reader.buf). */
  private attached(): Buffer {
    if (this.attachedBytes !== this.bytes) {
      this.attachedBytes = this.bytes;
      this.attachedBuf = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length);
    }
    return this.attachedBuf;
  }

  /**
   * The first \n at or after i in what was read into the window, or -1. Searched in `filled`, made
   * once a read: a search of the whole window went on past what was read, through the 256 KiB of
   * a window never filled further than 4 KiB (no \n in them), for each line that ended past a read
   * (sized-256m: 975 times, 252 MB).
   */
  private newline(i: number): number {
    return this.filled.indexOf(10, i);
  }

  private fill(pos: number, bytes: number): void {
    this.start = pos;
    this.length = 0;
    for (let k = 1; this.length < bytes && k > 0; this.length += k) {
      k = readSync(this.fd, this.window, this.length, bytes - this.length, pos + this.length);
    }
    this.filled = this.window.subarray(0, this.length);
  }
}
