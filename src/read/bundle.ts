import { open } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { list, type ReadEntry } from 'tar';

/**
 * A `memtriage collect` bundle: a .tar.gz whose first member is manifest.json with
 * "schema": "memtriage/bundle@1", then one member per source named after where it came from
 * (proc/meminfo, proc/1234/status, sys/fs/cgroup/memory/…/memory.stat, kmsg.log or dmesg.log,
 * uname.txt, residency.txt, where.json). See docs in `memtriage collect --help`.
 */
export const BUNDLE_SCHEMA = 'memtriage/bundle@1';
const MANIFEST = 'manifest.json';
// Bundles are bounded by collect's own caps; refuse to inflate anything far bigger into memory.
const MAX_MEMBER_BYTES = 64 << 20;

async function head(path: string, n: number): Promise<Buffer | null> {
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(n);
      const { bytesRead } = await fh.read(buf, 0, n, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    return null;
  }
}

/** Cheap check without reading the archive: gzip magic, then a ustar header named manifest.json. */
async function looksLikeBundle(path: string): Promise<boolean> {
  const gz = await head(path, 64 << 10);
  if (!gz || gz.length < 2 || gz[0] !== 0x1f || gz[1] !== 0x8b) return false;
  let tarHead: Buffer;
  try {
    // A truncated gzip stream throws at its end; what inflated so far is all we need.
    tarHead = gunzipSync(gz, { finishFlush: 2 /* Z_SYNC_FLUSH */ });
  } catch {
    return false;
  }
  if (tarHead.length < 512 || tarHead.subarray(257, 262).toString('latin1') !== 'ustar') return false;
  return tarHead.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '') === MANIFEST;
}

/**
 * The members of a bundle as inputs for `analyze`: every regular file except manifest.json, in
 * archive order, as UTF-8 text. Null when the file is not a bundle (any other file, a gzipped log,
 * another tarball), so the caller can treat it as a plain input.
 */
export async function readBundle(path: string): Promise<{ name: string; text: string }[] | null> {
  if (!(await looksLikeBundle(path))) return null;
  const out: { name: string; text: string }[] = [];
  let schemaOk = false;
  await list({
    file: path,
    onReadEntry: (entry: ReadEntry) => {
      if (entry.type !== 'File' || entry.size > MAX_MEMBER_BYTES) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const name = entry.path.replace(/^\.\//, '');
        if (name === MANIFEST) {
          try {
            schemaOk = (JSON.parse(text) as { schema?: string }).schema === BUNDLE_SCHEMA;
          } catch {
            schemaOk = false;
          }
        } else {
          out.push({ name, text });
        }
      });
    },
  });
  return schemaOk ? out : null;
}
