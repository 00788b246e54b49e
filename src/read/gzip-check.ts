import { open } from 'node:fs/promises';

/**
 * Node's gunzip stream ends quietly on a truncated .gz (a log copied off a dying box, a download
 * cut short), so we check the gzip trailer ourselves: its last 4 bytes are the uncompressed size
 * mod 2^32 (RFC 1952 ISIZE). A concatenated multi-member file only states its last member's size,
 * hence "may be".
 */
export async function gzipTrailerSize(path: string): Promise<number | null> {
  let fh;
  try {
    fh = await open(path, 'r');
    const { size } = await fh.stat();
    if (size < 18) return null;
    const head = Buffer.alloc(2);
    await fh.read(head, 0, 2, 0);
    if (head[0] !== 0x1f || head[1] !== 0x8b) return null;
    const tail = Buffer.alloc(4);
    await fh.read(tail, 0, 4, size - 4);
    return tail.readUInt32LE(0);
  } catch {
    return null;
  } finally {
    await fh?.close();
  }
}

/**
 * Passes gunzipped chunks through, counting bytes; `done` gets the total when the stream ends,
 * and the zlib error when it breaks off ("unexpected end of file"): what came before is kept.
 */
export async function* countBytes(chunks: AsyncIterable<Buffer>, done: (bytes: number, error: Error | null) => void): AsyncGenerator<Buffer> {
  let n = 0;
  try {
    for await (const c of chunks) {
      n += c.length;
      yield c;
    }
  } catch (e) {
    done(n, e as Error);
    return;
  }
  done(n, null);
}

export function truncatedGzipMessage(path: string, bytes: number, trailer: number, error: Error | null): string | null {
  if (error) return `${path}: the gzip data breaks off after ${bytes} bytes (${error.message}): the file is truncated or damaged; what was read before is reported`;
  if (bytes % 2 ** 32 === trailer) return null;
  return `${path}: the gzip data may end early (${bytes} bytes decompressed, its trailer says ${trailer}): the file may be truncated; what was read is reported`;
}
