import { closeSync, fdatasyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';

/**
 * A small bundle built in memory and written with a handful of syscalls: the guard's evidence
 * must be on disk within 50 ms on a machine that is thrashing, where the staged BundleWriter of
 * `collect` (a directory of member files read back by tar, all through the libuv pool) takes
 * 90–270 ms. Same format: ustar members (headers encoded by node-tar), manifest.json first,
 * gzip (level 1: speed over size, the bundle is tens of KiB), temp file, fdatasync, rename (atomic).
 * Synchronous on purpose: it must not wait behind thread-pool threads stuck on /proc reads.
 */
export function writeTarGz(outPath: string, members: { name: string; text: string }[]): { bytes: number; syncMs: number } {
  const blocks: Buffer[] = [];
  const mtime = new Date();
  for (const m of members) {
    const body = Buffer.from(m.text, 'utf8');
    const header = Buffer.alloc(512);
    // portable: no owner names, fixed modes; the bundle leaves the host.
    new Header({ path: m.name, mode: 0o644, size: body.length, mtime, type: 'File', uid: 0, gid: 0 }).encode(header, 0);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024)); // end of archive: two zero blocks
  const gz = gzipSync(Buffer.concat(blocks), { level: 1 });
  const temp = join(dirname(outPath), `.${basename(outPath)}.tmp-${process.pid}`);
  const fd = openSync(temp, 'w', 0o600);
  let syncMs = 0;
  try {
    for (let off = 0; off < gz.length; ) off += writeSync(fd, gz, off, gz.length - off);
    const t = performance.now();
    fdatasyncSync(fd);
    syncMs = performance.now() - t;
  } catch (e) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(temp, outPath);
  return { bytes: gz.length, syncMs };
}
