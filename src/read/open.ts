import { readSync, type Stats } from 'node:fs';
import { type FileHandle, open as openFile, stat } from 'node:fs/promises';
import { setImmediate as turn } from 'node:timers/promises';
import { type DecodeEnd, decode, MAGIC_BYTES, type Packing, packingOf } from './decompress.js';

export class InputError extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
  }
}

/** Bytes read per call: large enough that per-call costs vanish, small enough to stay cheap. */
export const CHUNK_BYTES = 1 << 20;
/** Chunks of a regular file read between two turns of the event loop (16 MiB: a few ms of work). */
export const YIELD_EVERY = 16;

/**
 * A regular file's bytes in chunks that all share ONE buffer. A stream allocates a fresh buffer
 * per chunk and V8 frees those lazily (it lets tens of MiB of dead external memory pile up before
 * a collection), which alone took peak RSS over 150 MB on a 1 GiB log. The contract: a consumer
 * is done with a chunk when it asks for the next one, so it copies whatever it keeps
 * (analyzeLines does: decoded strings and copied line tails). Closes the handle when done.
 * It keeps its path, size and handle so a reader may instead read it at offsets, or in workers
 * (parallel-scan.ts); such a reader calls close() itself.
 */
export class FileChunks implements AsyncIterable<Buffer> {
  /** size: -1 for pipes and devices (a FIFO, /dev/stdin), which have no offsets to read at. */
  constructor(readonly path: string, readonly fh: FileHandle, readonly size: number) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      const buf = Buffer.allocUnsafe(CHUNK_BYTES);
      for (let n = 1; ; n++) {
        // A regular file: read(2) here rather than on libuv's thread pool. The bytes come from the
        // page cache (nothing else runs while analyze waits for them anyway), and the hop to a
        // pool thread and back was a third of the CPU time of 100 MB of blank lines.
        const bytesRead = readSync(this.fh.fd, buf, 0, CHUNK_BYTES, null);
        if (bytesRead === 0) return;
        yield buf.subarray(0, bytesRead);
        // Reads that never wait would keep the event loop from a library user's timers and I/O
        // for a whole file: it gets a turn every YIELD_EVERY chunks.
        if (n % YIELD_EVERY === 0) await turn();
      }
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined); // closing twice is not an error here
  }
}

/** One input, opened once: how its bytes are packed, and its decoded bytes. */
export interface OpenedInput {
  packing: Packing;
  /** A regular file that is a gzip: its trailer's size field (gzip-check.ts), else null. */
  gzipTrailer: number | null;
  /** Decoded bytes. A plain regular file gives a FileChunks (one reused buffer, offsets for workers). */
  chunks: AsyncIterable<Buffer>;
  /** After the chunks are read: how the decoder ended (null for plain inputs). */
  decodeEnd(): DecodeEnd | null;
  /** Raw (still packed) bytes of a regular gzip file from its start, for the bundle check; null otherwise. */
  fh: FileHandle | null;
}

function cannot(path: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  const hint = code === 'EACCES' ? '; run as a user who may read it, or copy it somewhere readable' : code === 'ENOENT' ? '; check the path' : '';
  return new InputError(path, `${path}: cannot read it (${code})${hint}`);
}

/** Reads a stream's first bytes (enough to tell its packing) and gives them back in front of the rest. */
async function peek(src: AsyncIterable<Buffer>): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  const it = src[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let n = 0;
  let done = false;
  while (n < MAGIC_BYTES) {
    const r = await it.next();
    if (r.done) { done = true; break; }
    // Copy: a FileChunks-style reader may reuse its buffer for the next read.
    const c = Buffer.from(r.value);
    first.push(c);
    n += c.length;
  }
  const head = Buffer.concat(first);
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head, all: all() };
}

/** A pipe, FIFO, character device or socket: read(2) in fresh buffers until end of file. */
async function* streamOf(fh: FileHandle): AsyncGenerator<Buffer> {
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await fh.read(buf, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** A regular file's packed bytes from its start; lazy, so a bundle check can read the head first. */
async function* packedBytes(fh: FileHandle): AsyncGenerator<Buffer> {
  yield* fh.createReadStream({ start: 0, highWaterMark: CHUNK_BYTES, autoClose: true }) as AsyncIterable<Buffer>;
}

/**
 * Opens a file (or "-" for stdin) once and decides there what it holds: plain text, or gzip, xz,
 * bzip2 or zstd by its magic bytes rather than its name (logs are rotated to .1.gz, saved
 * compressed without an extension, or piped: `zstdcat`-less `cat kern.log.zst | memtriage -`).
 * Pipes, FIFOs and process substitution (`analyze <(dmesg)`, /dev/fd/63) are read as streams,
 * never at offsets (pread on a pipe fails with ESPIPE) and never opened twice (a second open of
 * a FIFO waits for another writer forever).
 * Throws InputError with a message that names the file and says what to do.
 */
export async function openSource(path: string, stdin?: NodeJS.ReadableStream): Promise<OpenedInput> {
  let decodeEnd: DecodeEnd | null = null;
  const wrap = (packing: Packing, raw: AsyncIterable<Buffer>, gzipTrailer: number | null, fh: FileHandle | null): OpenedInput => ({
    packing, gzipTrailer, fh,
    chunks: packing === 'plain' ? raw : decode(packing, raw, (e) => { decodeEnd = e; }),
    decodeEnd: () => decodeEnd,
  });
  if (path === '-') {
    if (!stdin) throw new InputError(path, 'no standard input to read');
    const { head, all } = await peek(stdin as AsyncIterable<Buffer>);
    return wrap(packingOf(head), all, null, null);
  }
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    throw cannot(path, e);
  }
  if (st.isDirectory()) throw new InputError(path, `${path}: is a directory; give the log files inside it`);
  let fh: FileHandle;
  try {
    fh = await openFile(path, 'r');
  } catch (e) {
    throw cannot(path, e);
  }
  if (!st.isFile()) {
    const { head, all } = await peek(streamOf(fh));
    return wrap(packingOf(head), all, null, null);
  }
  try {
    const head = Buffer.alloc(MAGIC_BYTES);
    const { bytesRead } = await fh.read(head, 0, MAGIC_BYTES, 0);
    const packing = packingOf(head.subarray(0, bytesRead));
    if (packing === 'plain') return wrap('plain', new FileChunks(path, fh, st.size), null, null);
    let trailer: number | null = null;
    if (packing === 'gzip' && st.size >= 18) {
      const tail = Buffer.alloc(4);
      await fh.read(tail, 0, 4, st.size - 4);
      trailer = tail.readUInt32LE(0);
    }
    return wrap(packing, packedBytes(fh), trailer, fh);
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw cannot(path, e);
  }
}

/** openSource's decoded bytes alone (tests and callers that need nothing else). */
export async function openInput(path: string, stdin?: NodeJS.ReadableStream): Promise<AsyncIterable<Buffer>> {
  return (await openSource(path, stdin)).chunks;
}
