import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes of kept text written per write(2). */
const FLUSH_BYTES = 1 << 20;

/**
 * Kept line texts in a temp file, with only a numeric index in memory (about 20 bytes a line
 * instead of the text and a Map entry). The file is unlinked as soon as it is open, so nothing is
 * left behind whatever happens to the process. Records keep their insertion order; the index is
 * read in key order (input, line), sorted once when a lookup follows new records out of order.
 */
export class LineSpill {
  private readonly fd: number;
  private keys = new Float64Array(1 << 16);
  private offs = new Float64Array(1 << 16);
  private lens = new Int32Array(1 << 16);
  private n = 0;
  private fileBytes = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  /** Record numbers in key order (stable); null while records are already in key order. */
  private order: Uint32Array | null = null;
  private sorted = true;
  private orderValid = true;
  private lastKey = -1;
  private lastTexts: string[] = [];
  private buf = Buffer.allocUnsafe(1 << 16);

  constructor() {
    const dir = mkdtempSync(join(tmpdir(), 'memtriage-lines-'));
    const path = join(dir, 'lines');
    this.fd = openSync(path, 'w+', 0o600);
    rmSync(dir, { recursive: true, force: true });
  }

  add(input: number, line: number, text: string): void {
    const key = input * 2 ** 32 + line;
    // The same piece of the same line again (a folded line's pieces, a line offered twice): kept once.
    if (key === this.lastKey) {
      if (this.lastTexts.includes(text)) return;
      if (this.lastTexts.length < 64) this.lastTexts.push(text);
    } else {
      this.lastKey = key;
      this.lastTexts = [text];
    }
    if (this.n === this.keys.length) this.grow();
    if (this.n > 0 && key < this.keys[this.n - 1]) this.sorted = false;
    const bytes = Buffer.byteLength(text);
    this.keys[this.n] = key;
    this.offs[this.n] = this.fileBytes + this.pendingBytes;
    this.lens[this.n] = bytes;
    this.n++;
    this.orderValid = false;
    this.pending.push(text);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  /** Texts kept for this line, in the order they were added. */
  get(input: number, line: number): string[] {
    this.flush();
    const key = input * 2 ** 32 + line;
    const order = this.index();
    const at = (i: number) => (order ? order[i] : i);
    let lo = 0, hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[at(mid)] < key) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.n && this.keys[at(i)] === key; i++) out.push(this.read(at(i)));
    return out;
  }

  close(): void {
    closeSync(this.fd);
  }

  private index(): Uint32Array | null {
    if (this.sorted) return null;
    if (!this.orderValid || !this.order) {
      const order = new Uint32Array(this.n);
      for (let i = 0; i < this.n; i++) order[i] = i;
      const keys = this.keys;
      this.order = order.sort((a, b) => keys[a] - keys[b] || a - b);
      this.orderValid = true;
    }
    return this.order;
  }

  private read(i: number): string {
    const len = this.lens[i];
    if (len > this.buf.length) this.buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) got += readSync(this.fd, this.buf, got, len - got, this.offs[i] + got);
    return this.buf.toString('utf8', 0, len);
  }

  private flush(): void {
    if (!this.pending.length) return;
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    let done = 0;
    while (done < chunk.length) done += writeSync(this.fd, chunk, done, chunk.length - done, this.fileBytes + done);
    this.fileBytes += chunk.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private grow(): void {
    const size = this.keys.length * 2;
    const k = new Float64Array(size); k.set(this.keys); this.keys = k;
    const o = new Float64Array(size); o.set(this.offs); this.offs = o;
    const l = new Int32Array(size); l.set(this.lens); this.lens = l;
  }
}
