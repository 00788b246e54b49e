/**
 * The line classifier in WebAssembly (source: wasm/, AssemblyScript with SIMD, built
 * into line-class.wasm next to this file by `npm run build`). It gives exactly the runs and the
 * afterLeading of LineClassifier (line-class.ts), which is the REFERENCE: a rule about which line
 * may be counted is written there first, then ported, and test/read/line-class-wasm.test.ts
 * compares the two on every fixture, cut anywhere, with odd bytes put in. This one is what the
 * readers use: the per-line byte work (find the \n, NUL/CR/0xE2, markers, prefix) costs about a
 * third of the JS's.
 *
 * The word lists stay in TypeScript (SCAN_NEEDLES through MarkerScanner's hash table, the
 * task-table tail words, the report start words) and are copied into the module's memory once.
 * One instance per thread, shared by every classifier of that thread (calls are synchronous).
 */
import { readFileSync } from 'node:fs';
import { MESSAGE_STARTS, READ_BYTES, RUN_FIELDS, TAIL_WORD_LIST } from './line-class.js';
import { MarkerScanner, type Needle } from './marker-scan.js';

interface Exports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  init(keys: number, bits: number, mul: number, slots: number, entries: number, needles: number, tails: number, tailCount: number, starts: number, startCount: number, longBytes: number): void;
  markerWords(p: number, e: number, list: number): number;
  byteMasks(p: number, e: number, masks: number): void;
  classify(p: number, e: number, leading: number, out: number, hits: number, hitCount: number, masks: number): number;
  runs(): number;
  afterLeading(): number;
}

/** Vector loads read past a region's end (wasm/line-class.ts: up to 63 bytes). */
const PAD = 64;
/** Bytes classified in one call at most (a longer line goes whole). */
export const SLICE_BYTES = 1 << 20;
/** Each run takes 4 Int32; a run holds at least one line of at least one byte. */
const OUT_BYTES_PER_BYTE = RUN_FIELDS * 4;

class Module {
  private readonly x: Exports;
  /** The input region: cap bytes (+ PAD) at inPtr; room for cap runs at outPtr, for the marker words at hitsPtr, for byteMasks at masksPtr. */
  private inPtr = 0;
  private outPtr = 0;
  private hitsPtr = 0;
  private masksPtr = 0;
  private cap = 0;
  private view: Buffer = Buffer.alloc(0);

  constructor() {
    const file = new URL('./line-class.wasm', import.meta.url);
    let bytes: Buffer<ArrayBuffer>;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      // dist/ built by tsc alone: the .wasm comes from `npm run build` (build:wasm).
      throw new Error(`the line classifier ${file.pathname} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): run \`npm run build\``);
    }
    this.x = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { abort: wasmAbort } }).exports as unknown as Exports;
    this.loadTables();
    this.reserve(READ_BYTES);
  }

  /** The input region as a Buffer (valid until reserve grows the memory). */
  get input(): Buffer {
    return this.view;
  }

  /** Makes the input region at least len bytes; a new, larger one invalidates older views. */
  reserve(len: number): void {
    if (len <= this.cap) return;
    const cap = Math.max(len, this.cap * 2);
    this.inPtr = this.x.alloc(cap + PAD);
    this.outPtr = this.x.alloc(cap * OUT_BYTES_PER_BYTE);
    this.hitsPtr = this.x.alloc(cap + 8); // an Int32 per aligned word at most
    this.masksPtr = this.x.alloc((cap >> 2) + 32); // 16 bytes per 64
    this.cap = cap;
    this.view = Buffer.from(this.x.memory.buffer, this.inPtr, cap);
  }

  /**
   * Lines of buf[s, e) (each ending with \n) → runs appended to out, starts moved by base. A region
   * over SLICE_BYTES goes in slices cut at line ends, a run that goes on across a cut joined as
   * the reference makes it (one run, the later part's year: its last line's), so the module's
   * memory stays near SLICE_BYTES (or the longest line) whatever chunks a stream hands in.
   */
  classify(buf: Buffer, s: number, e: number, base: number, out: number[], leading: boolean): { lines: number; afterLeading: boolean } {
    const first = out.length;
    let lines = 0;
    let after = leading;
    for (let from = s; from < e;) {
      let to = e;
      if (e - from > SLICE_BYTES) {
        const nl = buf.lastIndexOf(10, from + SLICE_BYTES - 1);
        to = nl >= from ? nl + 1 : buf.indexOf(10, from + SLICE_BYTES) + 1;
      }
      const k = out.length;
      lines += this.slice(buf, from, to, base, out, after);
      after = this.x.afterLeading() !== 0;
      if (k > first && k < out.length && out[k] === out[k - RUN_FIELDS]) {
        out[k - RUN_FIELDS + 1] += out[k + 1];
        out[k - 1] = out[k + 3];
        out.splice(k, RUN_FIELDS);
      }
      from = to;
    }
    return { lines, afterLeading: after };
  }

  private slice(buf: Buffer, s: number, e: number, base: number, out: number[], leading: boolean): number {
    const mem = this.x.memory.buffer;
    let p: number;
    if (buf.buffer === mem && buf.byteOffset + s >= this.inPtr && buf.byteOffset + e <= this.inPtr + this.cap) p = buf.byteOffset + s;
    else {
      this.reserve(e - s);
      buf.copy(this.view, 0, s, e);
      p = this.inPtr;
    }
    const hits = this.x.markerWords(p, p + (e - s), this.hitsPtr);
    this.x.byteMasks(p, p + (e - s), this.masksPtr);
    const lines = this.x.classify(p, p + (e - s), leading ? 1 : 0, this.outPtr, this.hitsPtr, hits, this.masksPtr);
    const n = this.x.runs();
    const runs = new Int32Array(this.x.memory.buffer, this.outPtr, n * RUN_FIELDS);
    for (let r = 0; r < runs.length; r += RUN_FIELDS) out.push(runs[r], runs[r + 1], base + s + runs[r + 2], runs[r + 3]);
    return lines;
  }

  private loadTables(): void {
    const { bits, mul, keys, slots } = new MarkerScanner().table();
    const needles: Needle[] = [];
    const index = new Map<Needle, number>();
    const entries: number[] = [];
    const slotStart = new Int32Array(keys.length + 1);
    for (let k = 0; k < keys.length; k++) {
      slotStart[k] = entries.length / 2;
      for (const { needle, offset } of slots[k] ?? []) {
        if (!index.has(needle)) index.set(needle, needles.push(needle) - 1);
        entries.push(index.get(needle)!, offset);
      }
    }
    slotStart[keys.length] = entries.length / 2;
    for (const n of needles) {
      // The port's marker test is "a needle wholly inside the line": true to the reference only
      // for needles that cannot hold a line's end.
      if (n.bytes.includes(10) || n.bytes.includes(13)) throw new Error('a scan needle holds a line end');
    }
    const words = (list: { bytes: Uint8Array; flag: number }[], width: number): number => {
      const table = new Int32Array(list.length * width);
      list.forEach(({ bytes, flag }, i) => {
        table[i * width] = this.bytes(bytes);
        table[i * width + 1] = bytes.length;
        if (width === 3) table[i * width + 2] = flag;
      });
      return this.ints(table);
    };
    const needleTable = words(needles.map((n) => ({ bytes: n.bytes, flag: n.anyCase ? 1 : 0 })), 3);
    const tails = words(TAIL_WORD_LIST.map((w) => ({ bytes: w.word, flag: w.digitAfter ? 1 : 0 })), 3);
    const starts = words(MESSAGE_STARTS.map((w) => ({ bytes: w, flag: 0 })), 2);
    this.x.init(this.ints(keys), bits, mul, this.ints(slotStart), this.ints(Int32Array.from(entries)), needleTable, tails, TAIL_WORD_LIST.length,
      starts, MESSAGE_STARTS.length, READ_BYTES);
  }

  private bytes(b: Uint8Array): number {
    const p = this.x.alloc(b.length);
    new Uint8Array(this.x.memory.buffer, p, b.length).set(b);
    return p;
  }

  private ints(a: Int32Array): number {
    const p = this.x.alloc(a.length * 4);
    new Int32Array(this.x.memory.buffer, p, a.length).set(a);
    return p;
  }
}

function wasmAbort(): never {
  throw new Error('line classifier (wasm) aborted');
}

let shared: Module | null = null;
const module = (): Module => (shared ??= new Module());

/** LineClassifier's interface, on the wasm module. */
export class WasmLineClassifier {
  /** As LineClassifier.afterLeading. */
  afterLeading = false;

  /**
   * This thread's input region, READ_BYTES long: lines read into it are classified where they lie,
   * with no copy (scan-worker.ts). It stays valid while no classify call is given more bytes than
   * that from elsewhere.
   */
  static input(): Buffer {
    return module().input;
  }

  /** As LineClassifier.classify: appends the runs of buf[s, e) to out, returns the line count. */
  classify(buf: Buffer, s: number, e: number, base: number, out: number[]): number {
    if (e <= s) return 0;
    const r = module().classify(buf, s, e, base, out, this.afterLeading);
    this.afterLeading = r.afterLeading;
    return r.lines;
  }
}
