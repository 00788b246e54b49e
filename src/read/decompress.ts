import { PassThrough, pipeline, Readable } from 'node:stream';
import { constants, createGunzip } from 'node:zlib';

/** How an input's bytes are packed, told from its first bytes (never from its name). */
export type Packing = 'plain' | 'gzip' | 'xz' | 'bzip2' | 'zstd';

/** Bytes needed to tell every packing apart. */
export const MAGIC_BYTES = 10;

const startsWith = (b: Buffer, bytes: number[]): boolean => b.length >= bytes.length && bytes.every((x, i) => b[i] === x);

/**
 * gzip 1f 8b; xz FD '7zXZ' 00; zstd frame 28 B5 2F FD; bzip2 'BZh' + block size digit + the
 * 48-bit block magic (π: 31 41 59 26 53 59) or end-of-stream magic (√π: 17 72 45 38 50 90), so a
 * text line that happens to start with "BZh9" is not mistaken for bzip2.
 */
export function packingOf(head: Buffer): Packing {
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return 'zstd';
  if (startsWith(head, [0x42, 0x5a, 0x68]) && head[3] >= 0x31 && head[3] <= 0x39 &&
    (startsWith(head.subarray(4), [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]) || startsWith(head.subarray(4), [0x17, 0x72, 0x45, 0x38, 0x50, 0x90]))) return 'bzip2';
  return 'plain';
}

/** What a decoder reports at the end: bytes it produced, and the error that stopped it early. */
export interface DecodeEnd {
  bytes: number;
  error: Error | null;
}

/**
 * Decoded bytes of a compressed stream. A decoder error (a truncated or damaged file) ends the
 * stream instead of throwing: everything decoded before it is analyzed, and `end` says why it
 * stopped, so the caller can report it as a problem. Decoders are loaded on use.
 */
export async function* decode(packing: Exclude<Packing, 'plain'>, src: AsyncIterable<Buffer>, end: (e: DecodeEnd) => void): AsyncGenerator<Buffer> {
  let bytes = 0;
  try {
    for await (const c of decoder(packing, src)) {
      bytes += c.length;
      yield c;
    }
  } catch (e) {
    end({ bytes, error: e as Error });
    return;
  }
  end({ bytes, error: null });
}

async function* decoder(packing: Exclude<Packing, 'plain'>, src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  switch (packing) {
    case 'gzip':
      // Z_SYNC_FLUSH: a truncated .gz ends quietly after its last decodable byte instead of
      // throwing away what was decoded; gzip-check's trailer test reports the truncation.
      yield* Readable.from(src).pipe(createGunzip({ finishFlush: constants.Z_SYNC_FLUSH })) as AsyncIterable<Buffer>;
      return;
    case 'xz': {
      // WebAssembly (xz-embedded): no native module to build.
      const mod = (await import('xz-decompress')) as unknown as { XzReadableStream?: typeof import('xz-decompress').XzReadableStream; default: typeof import('xz-decompress') };
      const XzReadableStream = mod.XzReadableStream ?? mod.default.XzReadableStream;
      const web = Readable.toWeb(Readable.from(src)) as unknown as ReadableStream<Uint8Array>;
      for await (const c of Readable.fromWeb(new XzReadableStream(web) as never)) yield Buffer.from(c as Uint8Array);
      return;
    }
    case 'bzip2': {
      const bz = (await import('unbzip2-stream')).default;
      // An old-style (through) stream: piped into a PassThrough to be async-iterable; pipeline
      // carries its errors (a truncated file) to the iteration.
      const out = new PassThrough();
      pipeline(Readable.from(src), bz(), out, () => undefined);
      yield* out as AsyncIterable<Buffer>;
      return;
    }
    case 'zstd': {
      // Node 20's zlib has no zstd (createZstdDecompress came in 22.15/23.8): fzstd, pure JS.
      const { Decompress } = await import('fzstd');
      let out: Buffer[] = [];
      const d = new Decompress((chunk) => { out.push(Buffer.from(chunk)); });
      for await (const c of src) {
        d.push(c);
        if (out.length) { yield* out; out = []; }
      }
      d.push(new Uint8Array(0), true);
      yield* out;
      return;
    }
  }
}
