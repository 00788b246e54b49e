import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes of kept text written per write(2). */
const FLUSH_BYTES = 1 << 20;

/** Records per offset checkpoint: a record's offset is its checkpoint plus the lengths before it. */
const CHECKPOINT = 32;
/** A length this big or more is kept in `longLens` (a 16-bit slot cannot hold it). */
const LONG = 0xffff;
/** Bytes read back before the line asked for (the rest of the window comes after it). */
const WINDOW_BEFORE = 4096;

/**
 * Kept line texts in a temp file, with only a compact index in memory. The file is unlinked as
 * soon as it is open, so nothing is left behind whatever happens to the process. Records keep
 * their insertion order, one after the other in the file, so a record's offset follows from the
 * lengths before it: per record only its byte length (2 bytes), an offset every CHECKPOINT records,
 * and per run of consecutive line numbers (a report's lines: one run) its first key and record.
 * 50,000 OOM reports keep 4.25 million lines: ≈ 10 MB of index instead of ≈ 85 MB at 20 bytes a
 * line (issue 10). Runs are looked up in key order (input, line), sorted once when a lookup follows
 * runs added out of order.
 */
export class LineSpill {
  private readonly fd: number;
  private lens = new Uint16Array(1 << 16);
  private readonly longLens = new Map<number, number>();
  private checkpoints = new Float64Array(1 << 11);
  /** Runs: first key, first record; a run's records are startRec .. next run's startRec - 1. */
  private runKeys = new Float64Array(1 << 10);
  private runRecs = new Uint32Array(1 << 10);
  private runs = 0;
  private n = 0;
  private fileBytes = 0;
  /** Kept text not yet written, UTF-8 encoded as it comes (its length says each record's bytes). */
  private pending = Buffer.allocUnsafe(FLUSH_BYTES);
  private pendingBytes = 0;
  /** Run numbers in key order (stable), with the running maximum of their end keys; null while runs are in key order and apart. */
  private order: { runs: Uint32Array; maxEnd: Float64Array } | null = null;
  private sorted = true;
  private orderValid = true;
  private lastKey = -1;
  private lastText: string | null = null;
  /** Lines of several pieces, in memory (a Set keeps insertion order and drops repeats). */
  private readonly multi = new Map<number, Set<string>>();
  /** The window of the file last read back (readSpan): its first byte's offset and its length. */
  private buf = Buffer.allocUnsafe(1 << 16);
  private winOff = 0;
  private winBytes = 0;

  constructor() {
    const dir = mkdtempSync(join(tmpdir(), 'memtriage-lines-'));
    const path = join(dir, 'lines');
    this.fd = openSync(path, 'w+', 0o600);
    rmSync(dir, { recursive: true, force: true });
  }

  add(input: number, line: number, text: string): void {
    const key = input * 2 ** 32 + line;
    // A physical line with several pieces (a folded paste, a line over 4 MiB read in pieces) stays
    // in memory, whole: its pieces are looked up by needle, and one 50 MB line of 500,000 pieces
    // must not be read back from the file for each lookup.
    const multi = this.multi.size > 0 ? this.multi.get(key) : undefined;
    if (multi) { multi.add(text); return; }
    if (key === this.lastKey && this.lastText !== null) {
      if (text === this.lastText) return;
      this.multi.set(key, new Set([this.lastText, text]));
      return;
    }
    const continues = this.n > 0 && key === this.lastKey + 1;
    this.lastKey = key;
    this.lastText = text;
    if (!continues) this.startRun(key);
    if (this.n === this.lens.length) this.lens = grown(this.lens);
    if (this.n % CHECKPOINT === 0) {
      if (this.n / CHECKPOINT === this.checkpoints.length) this.checkpoints = grown(this.checkpoints);
      this.checkpoints[this.n / CHECKPOINT] = this.fileBytes + this.pendingBytes;
    }
    const bytes = this.write(text);
    if (bytes >= LONG) this.longLens.set(this.n, bytes);
    this.lens[this.n] = bytes >= LONG ? LONG : bytes;
    this.n++;
    this.orderValid = false; // the last run grew: its end moved
  }

  /**
   * Appends the text's UTF-8 bytes to what is written next (encoded once, straight into the
   * buffer: no byte count, joined string and copy per flush); returns how many. Each text is
   * encoded alone, so the bytes are its own whatever comes before or after it.
   */
  private write(text: string): number {
    // A UTF-16 code unit takes at most 3 bytes (a pair of them 4).
    if (this.pendingBytes + text.length * 3 > this.pending.length) this.flush();
    if (text.length * 3 <= this.pending.length) {
      const bytes = this.pending.write(text, this.pendingBytes, 'utf8');
      this.pendingBytes += bytes;
      return bytes;
    }
    const chunk = Buffer.from(text, 'utf8');
    this.writeOut(chunk);
    return chunk.length;
  }

  /**
   * The text kept for this line: for a line of several pieces the first that contains `needle`
   * (else its first piece), as LineStore.get answers. (A cache of the last lines asked for was
   * measured: slower and 160 MB more peak RSS on 10,000 folded reports.)
   */
  get(input: number, line: number, needle?: string): string | null {
    const key = input * 2 ** 32 + line;
    const multi = this.multi.get(key);
    if (multi) {
      let first: string | null = null;
      for (const t of multi) {
        first ??= t;
        if (!needle || t.includes(needle)) return t;
      }
      return first;
    }
    this.flush();
    // One record per line outside `multi` (a repeat of the same text is not stored again; a
    // line re-added later, out of order, may have a second record: the first one wins).
    const rec = this.recordOf(key);
    return rec === -1 ? null : this.read(rec);
  }

  close(): void {
    closeSync(this.fd);
  }

  private startRun(key: number): void {
    if (this.runs === this.runKeys.length) {
      this.runKeys = grown(this.runKeys);
      this.runRecs = grown(this.runRecs);
    }
    if (this.runs > 0 && key < this.runEnd(this.runs - 1)) this.sorted = false;
    this.runKeys[this.runs] = key;
    this.runRecs[this.runs] = this.n;
    this.runs++;
    this.orderValid = false;
  }

  /** The key just past run r's last line. */
  private runEnd(r: number): number {
    const next = r + 1 < this.runs ? this.runRecs[r + 1] : this.n;
    return this.runKeys[r] + (next - this.runRecs[r]);
  }

  /** The first record added for `key`, or -1. */
  private recordOf(key: number): number {
    const order = this.index();
    const at = (i: number) => (order ? order.runs[i] : i);
    // The last run (in key order) starting at or before key.
    let lo = 0, hi = this.runs;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.runKeys[at(mid)] <= key) lo = mid + 1;
      else hi = mid;
    }
    if (!order) return lo > 0 && key < this.runEnd(lo - 1) ? this.runRecs[lo - 1] + (key - this.runKeys[lo - 1]) : -1;
    // Runs added out of order may overlap: of those that hold the key, the one added first.
    let best = -1;
    for (let i = lo - 1; i >= 0 && order.maxEnd[i] > key; i--) {
      const r = order.runs[i];
      if (key < this.runEnd(r)) {
        const rec = this.runRecs[r] + (key - this.runKeys[r]);
        if (best === -1 || rec < best) best = rec;
      }
    }
    return best;
  }

  private index(): { runs: Uint32Array; maxEnd: Float64Array } | null {
    if (this.sorted) return null;
    if (!this.orderValid || !this.order) {
      const runs = new Uint32Array(this.runs);
      for (let i = 0; i < this.runs; i++) runs[i] = i;
      const keys = this.runKeys;
      runs.sort((a, b) => keys[a] - keys[b] || a - b);
      const maxEnd = new Float64Array(this.runs);
      let max = -1;
      for (let i = 0; i < this.runs; i++) maxEnd[i] = max = Math.max(max, this.runEnd(runs[i]));
      this.order = { runs, maxEnd };
      this.orderValid = true;
    }
    return this.order;
  }

  private lenOf(i: number): number {
    const l = this.lens[i];
    return l === LONG ? this.longLens.get(i)! : l;
  }

  private read(i: number): string {
    let off = this.checkpoints[Math.floor(i / CHECKPOINT)];
    for (let k = i - (i % CHECKPOINT); k < i; k++) off += this.lenOf(k);
    return this.readSpan(off, this.lenOf(i)).toString('utf8');
  }

  /**
   * The bytes at off..off+len, served from the window of the file read last when they are in it.
   * A rule reads a report's evidence lines one by one, near each other: 14,600 lookups on the
   * 1 GiB bench log were 14,600 pread(2)s, 94% of them within 64 KiB of the one before. Records
   * are only ever appended, never rewritten, so bytes once read stay true.
   */
  private readSpan(off: number, len: number): Buffer {
    if (off >= this.winOff && off + len <= this.winOff + this.winBytes) return this.buf.subarray(off - this.winOff, off - this.winOff + len);
    if (len > this.buf.length) this.buf = Buffer.allocUnsafe(len);
    // A little before the line too: lookups go back to a report's header now and then.
    const start = len <= this.buf.length - WINDOW_BEFORE ? Math.max(0, off - WINDOW_BEFORE) : off;
    const want = Math.min(this.buf.length, this.fileBytes - start);
    this.winBytes = 0; // the buffer is being overwritten
    let got = 0;
    while (got < off + len - start) {
      const n = readSync(this.fd, this.buf, got, want - got, start + got);
      if (n === 0) throw new Error(`the temp file of kept lines ends at ${start + got} bytes, before ${off + len}`);
      got += n;
    }
    this.winOff = start;
    this.winBytes = got;
    return this.buf.subarray(off - start, off - start + len);
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    this.writeOut(this.pending.subarray(0, this.pendingBytes));
    this.pendingBytes = 0;
  }

  private writeOut(chunk: Buffer): void {
    let done = 0;
    while (done < chunk.length) done += writeSync(this.fd, chunk, done, chunk.length - done, this.fileBytes + done);
    this.fileBytes += chunk.length;
  }
}

/** A typed array twice as long with the same first elements. */
function grown<T extends Uint16Array | Uint32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}
