/**
 * Child process of the real ProcReader: does the blocking reads so that the CLI never does.
 * A read of /proc/PID/{smaps_rollup,maps,cmdline,environ} takes the target's mmap lock; when that
 * process is stuck (reclaim, a hung NFS page fault) the read sleeps until the lock is released,
 * which on a machine in trouble can be minutes. The parent kills this process on a timeout and
 * starts another; whatever stays stuck here cannot hold the CLI.
 */
import { closeSync, openSync, readSync, readdirSync, readlinkSync } from 'node:fs';

interface Request {
  id: number;
  op: 'readFile' | 'readFiles' | 'readdir' | 'readlink';
  path: string;
  paths?: string[];
  maxBytes: number;
}

function readCapped(path: string, maxBytes: number): string {
  // /proc files report st_size 0, so read until EOF (or the cap) rather than trusting stat.
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < maxBytes) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 16, maxBytes - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function handle(req: Request): unknown {
  switch (req.op) {
    case 'readFile': return readCapped(req.path, req.maxBytes);
    case 'readFiles':
      return (req.paths ?? []).map((p) => {
        try {
          return { ok: true, value: readCapped(p, req.maxBytes) };
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          return { ok: false, code: err.code ?? 'EIO', message: err.message };
        }
      });
    case 'readdir': return readdirSync(req.path);
    case 'readlink': return readlinkSync(req.path);
  }
}

process.on('message', (req: Request) => {
  try {
    process.send!({ id: req.id, ok: true, value: handle(req) });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    process.send!({ id: req.id, ok: false, code: err.code ?? 'EIO', message: err.message });
  }
});
// The parent closing the channel (close(), or its own exit) ends this process.
process.on('disconnect', () => process.exit(0));
