/**
 * Picks how an input's bytes become lines, and for big regular files spreads the byte work over
 * the CPU's cores. The pre-scan (marker scan, line walk, prefix checks: line-class.ts) is most of
 * the time on a big log and needs no parser state, so worker threads (scan-worker.ts) each take
 * one contiguous part of the file and post runs; this thread feeds the runs in file order
 * (run-feeder.ts), reading from the file only the lines it decodes (file-lines.ts). stdin, gzip,
 * pipes and small files keep the one-thread LineScanner: same results, as the tests check.
 */
import { FileLines } from './file-lines.js';
import { LineScanner } from './fast-scan.js';
import { fastHeadAt } from './head-check.js';
import { FileChunks } from './open.js';
import { RUN_FIELDS } from './line-class.js';
import { type LineSink, RunFeeder } from './run-feeder.js';
import { takePrestarted } from './scan-prestart.js';
import { fieldsOf, MAX_IN_FLIGHT, startWorkers, stopWorkers, workerCount, type WorkerRuns } from './scan-workers.js';

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
    const early = await takePrestarted(chunks.fh.fd);
    if (early && opts.workers === undefined) return scanFileInWorkers(chunks, sink, early.workers.length, MAX_IN_FLIGHT, opts.progress, early);
    if (early) await stopWorkers(early.workers, early.fd);
    const workers = opts.workers ?? workerCount(chunks.size);
    // The one-thread path makes the same head decision; an input it reads in full goes there.
    if (workers >= 1 && fastHeadAt(chunks.fh.fd, chunks.size)) return scanFileInWorkers(chunks, sink, workers, MAX_IN_FLIGHT, opts.progress);
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
export async function scanFileInWorkers(file: FileChunks, sink: LineSink, count: number, maxInFlight = MAX_IN_FLIGHT, progress?: (bytes: number) => void,
  early?: { workers: WorkerRuns[]; fd: number }): Promise<number> {
  const { size } = file;
  let workers: WorkerRuns[] = [];
  try {
    // Workers prestarted for this file (scan-prestart.ts) read it through their own descriptor.
    workers = early?.workers ?? startWorkers(file.fh.fd, size, count, maxInFlight);
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
        w.ack(fieldsOf(msg.runs, msg.bytes));
        done = msg.done;
      }
    }
    feeder.end();
    return feeder.lastLine;
  } finally {
    // Workers end by themselves after their last message; this also stops them after an error,
    // so nothing keeps the process alive.
    await stopWorkers(workers, early?.fd ?? -1);
    await file.close();
  }
}
