/**
 * Picks how an input's bytes become lines, and for big regular files spreads the byte work over
 * the CPU's cores. The pre-scan (marker scan, line walk, prefix checks: line-class.ts) is most of
 * the time on a big log and needs no parser state, so worker threads (scan-worker.ts) each take
 * one contiguous part of the file and post runs; this thread feeds the runs in file order
 * (run-feeder.ts), reading from the file only the lines it decodes (file-lines.ts). stdin, gzip,
 * pipes and small files keep the one-thread LineScanner: same results, as the tests check.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { FileLines } from './file-lines.js';
import { HEAD_BYTES, headLooksFast, LineScanner } from './fast-scan.js';
import { FileChunks } from './open.js';
import { RUN_FIELDS } from './line-class.js';
import { type LineSink, RunFeeder } from './run-feeder.js';
import { fieldsOf, type ScanJob, type ScanMessage } from './scan-worker.js';

/** Below this a worker's start-up (≈ 30 ms) costs more than it saves. */
const PARALLEL_MIN_BYTES = 32 << 20;
/** More workers than this would wait on the one thread that feeds the parser. */
const MAX_WORKERS = 4;
/**
 * Run fields a worker may post before this thread has fed them: workers are fed one after the
 * other, so a later one runs ahead and its results wait here. A kernel log gives a few hundred
 * bytes of runs per MiB; this bound (16 MiB of Float64) only bites on inputs that alternate
 * decoded and counted lines, and keeps memory flat on them.
 */
const MAX_IN_FLIGHT = 2 << 20;

export interface ScanInputOptions {
  /** false: decode every line (the reference path). */
  fast?: boolean;
  /** Worker threads for a regular file; by default the cores, when the file is big enough. */
  workers?: number;
  /** Bytes of the input read so far (for a progress line), called once per chunk or worker message. */
  progress?: (bytes: number) => void;
}

/** Reads all lines of an input into the sink; returns the input's line count. */
export async function scanInput(chunks: AsyncIterable<Buffer>, sink: LineSink, opts: ScanInputOptions = {}): Promise<number> {
  const fast = opts.fast ?? true;
  if (fast && chunks instanceof FileChunks && chunks.size > 0) {
    const workers = opts.workers ?? (chunks.size >= PARALLEL_MIN_BYTES ? Math.min(availableParallelism(), MAX_WORKERS) : 1);
    const head = Buffer.allocUnsafe(Math.min(HEAD_BYTES, chunks.size));
    const { bytesRead } = workers > 1 ? await chunks.fh.read(head, 0, head.length, 0) : { bytesRead: -1 };
    // The one-thread path makes the same head decision; an input it reads in full goes there.
    if (bytesRead === head.length && headLooksFast(head)) return scanFileInWorkers(chunks, sink, workers, MAX_IN_FLIGHT, opts.progress);
  }
  const scanner = new LineScanner(sink, fast);
  let bytes = 0;
  for await (const chunk of chunks) {
    scanner.push(chunk);
    bytes += chunk.length;
    opts.progress?.(bytes);
  }
  scanner.end();
  return scanner.lastLine;
}

/** The worker path on its own (scanInput picks it); closes the file. Exported for tests. */
export async function scanFileInWorkers(file: FileChunks, sink: LineSink, count: number, maxInFlight = MAX_IN_FLIGHT, progress?: (bytes: number) => void): Promise<number> {
  const { size } = file;
  const workers: WorkerRuns[] = [];
  try {
    for (let k = 0; k < count; k++) {
      const part = (i: number): number => Math.floor((size * i) / count);
      workers.push(new WorkerRuns({ memtriageScan: true, fd: file.fh.fd, from: part(k), to: part(k + 1), size, acks: new Int32Array(new SharedArrayBuffer(4)), maxInFlight }));
    }
    const feeder = new RunFeeder(sink);
    const reader = new FileLines(file.fh.fd, size);
    let line = 1;
    for (const w of workers) {
      for (let done = false; !done; ) {
        const msg = await w.next();
        reader.attach(msg.segments, msg.bytes);
        line = feeder.apply(msg.runs, 0, msg.runs.length, line, reader);
        // A run's third field is its byte offset in the file: how far this part has been read.
        if (progress && msg.runs.length >= RUN_FIELDS) progress(msg.runs[msg.runs.length - RUN_FIELDS + 2]);
        w.ack(fieldsOf(msg.runs.length, msg.bytes.length));
        done = msg.done;
      }
    }
    feeder.end();
    return feeder.lastLine;
  } finally {
    // Workers end by themselves after their last message; this also stops them after an error,
    // so nothing keeps the process alive.
    await Promise.all(workers.map((w) => w.worker.terminate()));
    await file.close();
  }
}

/** One worker's messages as a queue this thread awaits in order; its errors become rejections. */
class WorkerRuns {
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
