import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { type FileHandle, open as openFile, stat } from 'node:fs/promises';
import { constants, createGunzip } from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';

export class InputError extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];

async function isGzip(fh: FileHandle): Promise<boolean> {
  const buf = Buffer.alloc(2);
  const { bytesRead } = await fh.read(buf, 0, 2, 0);
  return bytesRead === 2 && buf[0] === GZIP_MAGIC[0] && buf[1] === GZIP_MAGIC[1];
}

/** Bytes read per call: large enough that per-call costs vanish, small enough to stay cheap. */
export const CHUNK_BYTES = 1 << 20;

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
      for (;;) {
        const { bytesRead } = await this.fh.read(buf, 0, CHUNK_BYTES, null);
        if (bytesRead === 0) return;
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined); // closing twice is not an error here
  }
}

/**
 * Opens a file (or "-" for stdin) as a byte stream, gunzipping by magic number rather than by
 * name: logs are often rotated to .1.gz, or saved gzipped without the extension.
 * Throws InputError with a message that names the file and says what to do.
 * A plain file's chunks share one buffer (FileChunks): use each before asking for the next.
 */
export async function openInput(path: string, stdin?: NodeJS.ReadableStream): Promise<AsyncIterable<Buffer>> {
  if (path === '-') {
    if (!stdin) throw new InputError(path, 'no standard input to read');
    return stdin as Readable;
  }
  let st: Stats;
  try {
    st = await stat(path);
    if (st.isDirectory()) throw new InputError(path, `${path}: is a directory; give the log files inside it`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(path, `${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const fh = await openFile(path, 'r');
    if (!(await isGzip(fh).catch(async (e) => { await fh.close(); throw e; }))) return new FileChunks(path, fh, st.isFile() ? st.size : -1);
    await fh.close();
    // A truncated .gz makes gunzip fail with "unexpected end of file" and throw away what it had
    // decoded; with Z_SYNC_FLUSH it ends quietly after the last decodable byte instead, and
    // gzip-check's trailer test reports the truncation. pipeline, not pipe: no unhandled errors.
    const gz = createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
    pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), gz, () => {});
    return gz;
  } catch (e) {
    throw new InputError(path, `${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
