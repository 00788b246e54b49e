import { type FileHandle, open } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

/**
 * A `memtriage collect` bundle: a .tar.gz whose first member is manifest.json with
 * "schema": "memtriage/bundle@1", then one member per source named after where it came from
 * (proc/meminfo, proc/1234/status, sys/fs/cgroup/memory/…/memory.stat, kmsg.log or dmesg.log,
 * uname.txt, residency.txt, where.json). See docs in `memtriage collect --help`.
 */
export const BUNDLE_SCHEMA = 'memtriage/bundle@1';
const MANIFEST = 'manifest.json';
// Bundles are bounded by collect's own caps; refuse to inflate anything far bigger into memory.
export const MAX_MEMBER_BYTES = 64 << 20;

export interface BundleContents {
  members: { name: string; text: string }[];
  /** Members not read (too big) and a read that broke off (a truncated bundle): shown as problems. */
  problems: string[];
}

/** Cheap check without reading the archive: gzip magic, then a ustar header named manifest.json. */
export async function looksLikeBundle(fh: FileHandle): Promise<boolean> {
  const gz = Buffer.alloc(64 << 10);
  const { bytesRead } = await fh.read(gz, 0, gz.length, 0);
  if (bytesRead < 2 || gz[0] !== 0x1f || gz[1] !== 0x8b) return false;
  let tarHead: Buffer;
  try {
    // A truncated gzip stream throws at its end; what inflated so far is all we need.
    tarHead = gunzipSync(gz.subarray(0, bytesRead), { finishFlush: 2 /* Z_SYNC_FLUSH */ });
  } catch {
    return false;
  }
  if (tarHead.length < 512 || tarHead.subarray(257, 262).toString('latin1') !== 'ustar') return false;
  return tarHead.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '') === MANIFEST;
}

/**
 * The members of a bundle as inputs for `analyze`: every regular file except manifest.json, in
 * archive order, as UTF-8 text, read from the already open file. Null when it is not a bundle (a
 * gzipped log, another tarball). A member too big to hold, or an archive that breaks off, is
 * named in `problems` — what was read before the break is kept.
 */
export async function readBundleFrom(fh: FileHandle, path: string): Promise<BundleContents | null> {
  if (!(await looksLikeBundle(fh))) return null;
  const { Parser } = await import('tar'); // loaded on use: commands without bundles never need it
  const out: BundleContents = { members: [], problems: [] };
  let schemaOk = false;
  const parser = new Parser({
    onReadEntry: (entry) => {
      const name = entry.path.replace(/^\.\//, '');
      if (entry.type !== 'File') { entry.resume(); return; }
      if (entry.size > MAX_MEMBER_BYTES) {
        out.problems.push(`${path}: member ${name} is ${entry.size} bytes, over the ${MAX_MEMBER_BYTES >> 20} MiB memtriage reads from a bundle; it was not analyzed (extract it with tar xzf and analyze it as a file)`);
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (name === MANIFEST) {
          try {
            schemaOk = (JSON.parse(text) as { schema?: string }).schema === BUNDLE_SCHEMA;
          } catch {
            schemaOk = false;
          }
        } else out.members.push({ name, text });
      });
    },
  });
  await new Promise<void>((resolve) => {
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      out.problems.push(`${path}: the bundle breaks off after ${out.members.length} members (${e.message}): it is truncated or damaged; the members before the break are analyzed`);
      resolve();
    };
    // tar warns (TAR_BAD_ARCHIVE, zlib errors) instead of throwing when data ends early.
    parser.on('warn', (code: string, message: string | Error) => fail(new Error(`${code}: ${typeof message === 'string' ? message : message.message}`)));
    parser.on('error', fail);
    parser.on('end', () => { if (!settled) { settled = true; resolve(); } });
    const raw = fh.createReadStream({ start: 0, autoClose: false });
    raw.on('error', fail);
    raw.pipe(parser);
  });
  return schemaOk ? out : null;
}

/** readBundleFrom for a path: opens, reads, closes. */
export async function readBundle(path: string): Promise<{ name: string; text: string }[] | null> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    return (await readBundleFrom(fh, path))?.members ?? null;
  } finally {
    await fh.close();
  }
}
