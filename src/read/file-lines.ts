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
const WINDOW_BYTES = 16 << 10;

export class FileLines implements LineReader {
  // Every line a worker did not send as LONG fits in its READ_BYTES buffer, so in this window too.
  buf: Buffer = Buffer.allocUnsafe(READ_BYTES);
  s = 0;
  e = 0;
  private start = 0;
  private length = 0;

  constructor(private readonly fd: number, private readonly size: number) {}

  read(pos: number): number {
    let i = pos - this.start;
    let nl = i >= 0 && i < this.length ? this.buf.subarray(0, this.length).indexOf(10, i) : -1;
    if (nl === -1) {
      // A small window first: the lines decoded are a report every few hundred KiB, and reading
      // 256 KiB for each read the file a second time (1 s of the 1 GiB bench log's main thread).
      this.fill(pos, WINDOW_BYTES);
      i = 0;
      nl = this.buf.subarray(0, this.length).indexOf(10);
      if (nl === -1 && this.length === WINDOW_BYTES) {
        this.fill(pos, this.buf.length);
        nl = this.buf.subarray(0, this.length).indexOf(10);
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

  private fill(pos: number, bytes: number): void {
    this.start = pos;
    this.length = 0;
    for (let k = 1; this.length < bytes && k > 0; this.length += k) {
      k = readSync(this.fd, this.buf, this.length, bytes - this.length, pos + this.length);
    }
  }
}
