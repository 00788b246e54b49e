/**
 * Starts the scan workers of a big analyze before the parsers, rules and reports have loaded.
 * Loading them takes the main thread ≈ 90 ms (some 190 modules) and a worker ≈ 70 ms to start and
 * classify its first bytes; one after the other, the main thread waited for its workers at the
 * start of every big analyze. The CLI calls prestartScan with the first input path as soon as it
 * knows the command is analyze; scanInput (parallel-scan.ts) then takes these workers for the
 * input if it is the same file (device, inode and size unchanged), and otherwise stops them.
 *
 * Nothing here decides more than scanInput would: the same size threshold, worker count and head
 * check (head-check.ts), on a descriptor of its own. Unclaimed workers are unref'd, so they never
 * keep the process alive, and they pause after MAX_IN_FLIGHT run fields that nobody reads.
 */
import { closeSync, constants, fstatSync, openSync, statSync } from 'node:fs';
import { fastHeadAt } from './head-check.js';
import { startWorkers, stopWorkers, workerCount, type WorkerRuns } from './scan-workers.js';

export interface Prestarted {
  fd: number;
  size: number;
  workers: WorkerRuns[];
}

let pending: (Prestarted & { dev: number; ino: number }) | null = null;

/** Starts the workers for the regular file at path when scanInput would use them; silent on any failure. */
export function prestartScan(path: string): void {
  if (pending) return;
  let fd = -1;
  try {
    // Only a regular file is opened: opening a FIFO would wait for its writer, and reading the
    // head of a pipe (process substitution) would take bytes analyze has to read itself.
    if (!statSync(path).isFile()) return;
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK); // never waits, should it be a FIFO now
    const st = fstatSync(fd);
    const count = st.isFile() ? workerCount(st.size) : 0;
    if (count >= 1 && fastHeadAt(fd, st.size)) {
      const workers = startWorkers(fd, st.size, count);
      for (const w of workers) w.worker.unref();
      pending = { fd, size: st.size, dev: st.dev, ino: st.ino, workers };
      return;
    }
  } catch {
    // Not readable, not there, a directory…: analyze itself says so, with the right message.
  }
  if (fd !== -1) closeSync(fd);
}

/**
 * The workers started for the file open at fd, when prestartScan started some for that same file
 * (its descriptor comes along: the workers read through it, the caller closes it). Any other
 * prestarted workers are stopped: they were for an input that is not being read now.
 */
export async function takePrestarted(fd: number): Promise<Prestarted | null> {
  const p = pending;
  if (!p) return null;
  pending = null;
  try {
    const st = fstatSync(fd);
    if (st.dev === p.dev && st.ino === p.ino && st.size === p.size) {
      for (const w of p.workers) w.worker.ref();
      return p;
    }
  } catch {
    // fd unusable: the caller finds out itself
  }
  await stopWorkers(p.workers, p.fd);
  return null;
}
