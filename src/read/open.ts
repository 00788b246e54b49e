import { createReadStream } from 'node:fs';
import { open as openFile, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export class InputError extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];

async function isGzip(path: string): Promise<boolean> {
  const fh = await openFile(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === GZIP_MAGIC[0] && buf[1] === GZIP_MAGIC[1];
  } finally {
    await fh.close();
  }
}

/**
 * Opens a file (or "-" for stdin) as a byte stream, gunzipping by magic number rather than by
 * name: logs are often rotated to .1.gz, or saved gzipped without the extension.
 * Throws InputError with a message that names the file and says what to do.
 */
export async function openInput(path: string, stdin?: NodeJS.ReadableStream): Promise<Readable> {
  if (path === '-') {
    if (!stdin) throw new InputError(path, 'no standard input to read');
    return stdin as Readable;
  }
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new InputError(path, `${path}: is a directory; give the log files inside it`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(path, `${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const gz = await isGzip(path);
    const raw = createReadStream(path, { highWaterMark: 1 << 20 });
    return gz ? raw.pipe(createGunzip()) : raw;
  } catch (e) {
    throw new InputError(path, `${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
