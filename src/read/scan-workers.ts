/**
 * The scan workers seen from the thread that feeds the parser: how many for a file, the job each
 * gets, the messages they post, and one worker's messages as a queue (WorkerRuns). Light on
 * purpose (no parser or report kind imported), so that scan-prestart.ts can start the workers of
 * a big analyze while the parsers are still loading.
 */
import { closeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Below this a worker's start-up (≈ 30 ms) costs more than it saves. */
export const PARALLEL_MIN_BYTES = 32 << 20;
/** More workers than this would wait on the one thread that feeds the parser. */
const MAX_WORKERS = 4;
/**
 * Run fields a worker may post before this thread has fed them: workers are fed one after the
 * other, so a later one runs ahead and its results wait here. A kernel log gives a few hundred
 * bytes of runs per MiB; this bound (16 MiB of Float64) only bites on inputs that alternate
 * decoded and counted lines, and keeps memory flat on them.
 */
export const MAX_IN_FLIGHT = 2 << 20;

/**
 * Workers for a regular file of `size` bytes: one core fewer than the machine has (0 below
 * PARALLEL_MIN_BYTES or on one core: then this thread reads the file itself). The thread that
 * feeds the parser needs a core of its own: on a log with thousands of reports it is the slowest
 * part, and a worker at ~1 GB/s keeps ahead of it. On the 2-core bench machine (quiet, 1 GiB log
 * with 3,876 reports, same output) one worker took 2.06–2.11 s and two 2.16–2.17 s, three 2.29 s:
 * the extra ones only took CPU from it.
 */
export function workerCount(size: number): number {
  return size >= PARALLEL_MIN_BYTES ? Math.min(availableParallelism() - 1, MAX_WORKERS) : 0;
}

export interface ScanJob {
  /** Marks a job, so that importing this module from a worker the user started does nothing. */
  memtriageScan: true;
  fd: number;
  from: number;
  to: number;
  size: number;
  /** [0]: run fields the main thread has consumed, for flow control. */
  acks: Int32Array;
  /** Run fields it may post ahead of acks (MAX_IN_FLIGHT says why). */
  maxInFlight: number;
}

/**
 * runs: as line-class.ts makes them. lines: the bytes of the message's DECODE runs, which the main
 * thread would otherwise read back from the file one pread each (most are lone lines, 50,000 a GiB
 * on a kernel log): segments [file start, file end, offset in bytes] in file order.
 */
export type ScanMessage = { runs: Float64Array; done: boolean; segments: Float64Array; bytes: Uint8Array } | { error: string };

/**
 * A worker posts its message once this many bytes of lines are attached. It attaches every DECODE
 * line it reads and the lines after each run (FOLLOW_BYTES), at most the READ_BYTES of one read,
 * so a message carries at most MESSAGE_BYTES + READ_BYTES, and the thread that feeds the parser
 * reads back from the file only LONG lines and countable lines a report keeps it decoding past
 * FOLLOW_BYTES (or past the end of a worker's read).
 */
export const MESSAGE_BYTES = 128 << 10;
/**
 * Bytes of lines after a DECODE run that a worker attaches too. A report keeps the parser awake
 * past its last decoded line (it decodes the countable lines after it until it has seen the
 * report end), and those lines were read back from the file, one pread each: 7,047 reads on the
 * 1 GiB bench log with nothing attached after the runs, 3,053 with 4 KiB, 100 with 8 KiB (and
 * with 16 or 64 KiB), ≈ 40 ms of the feeding thread's time.
 */
export const FOLLOW_BYTES = 8 << 10;
/** Attached bytes per flow-control field: a field is a Float64, 8 bytes. */
const BYTES_PER_FIELD = 8;

/** Run fields per message: few messages (each costs the main thread a wake-up), small ones. */
export const MESSAGE_FIELDS = 8192;

/**
 * What a message counts for flow control: its run fields, and the memory its attached bytes hold,
 * 8 to a field: the whole buffer they were copied into (MESSAGE_BYTES + READ_BYTES), which travels
 * with them. Counting only the bytes used let messages of many runs and few decoded lines (8,192
 * fields each) hold 256 buffers, 96 MiB, within MAX_IN_FLIGHT.
 */
export function fieldsOf(runs: Float64Array, bytes: Uint8Array): number {
  return runs.length + Math.ceil(bytes.buffer.byteLength / BYTES_PER_FIELD);
}

/**
 * Starts `count` workers, each on one contiguous part of the file open at fd (size bytes); they
 * read it with pread on that descriptor (descriptors are per process).
 */
export function startWorkers(fd: number, size: number, count: number, maxInFlight = MAX_IN_FLIGHT): WorkerRuns[] {
  const part = (i: number): number => Math.floor((size * i) / count);
  return Array.from({ length: count }, (_, k) => new WorkerRuns({ memtriageScan: true, fd, from: part(k), to: part(k + 1), size, acks: new Int32Array(new SharedArrayBuffer(4)), maxInFlight }));
}

/** Stops workers (they end by themselves after their last message) and closes their own descriptor, if any. */
export async function stopWorkers(workers: WorkerRuns[], fd: number): Promise<void> {
  await Promise.all(workers.map((w) => w.worker.terminate()));
  if (fd !== -1) closeSync(fd);
}

/** One worker's messages as a queue this thread awaits in order; its errors become rejections. */
export class WorkerRuns {
  readonly worker: Worker;
  private readonly queue: ScanMessage[] = [];
  private waiting: { resolve: (m: ScanMessage) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(private readonly job: ScanJob) {
    this.worker = new Worker(new URL('./scan-worker.js', import.meta.url), { workerData: job });
    this.worker.on('message', (m: ScanMessage) => this.deliver(m));
    this.worker.on('error', (e: Error) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`the line scanner thread stopped (exit code ${code})`)));
  }

  next(): Promise<Exclude<ScanMessage, { error: string }>> {
    const m = this.queue.shift();
    if (m) return 'error' in m ? Promise.reject(new Error(m.error)) : Promise.resolve(m);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => { this.waiting = { resolve, reject }; }).then((x) => this.unwrap(x as ScanMessage));
  }

  /** Lets the worker run ahead again (it pauses when too many run fields wait here). */
  ack(fields: number): void {
    Atomics.add(this.job.acks, 0, fields);
    Atomics.notify(this.job.acks, 0);
  }

  private unwrap(m: ScanMessage): Exclude<ScanMessage, { error: string }> {
    if ('error' in m) throw new Error(m.error);
    return m;
  }

  private deliver(m: ScanMessage): void {
    if (!this.waiting) return void this.queue.push(m);
    const w = this.waiting;
    this.waiting = null;
    w.resolve(m);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(e);
  }
}
