/**
 * Worker thread entry (scan-workers.ts starts it): classifies the lines that START in bytes
 * [from, to) of a regular file and posts them as runs (line-class.ts) with file offsets. It
 * never decodes a line and keeps no parser state, so several can split one file between them;
 * the main thread feeds their runs in file order and reads the few lines it decodes itself.
 * It reads with pread on the main thread's descriptor (descriptors are per process), into one
 * small buffer that stays in the CPU cache between the copy and the scan: the wasm classifier's
 * own input region (line-class-wasm.ts), so the bytes are classified where they were read.
 */
import { readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { DECODE, LONG, READ_BYTES, RUN_FIELDS } from './line-class.js';
import { WasmLineClassifier } from './line-class-wasm.js';
import { fieldsOf, FOLLOW_BYTES, MESSAGE_BYTES, MESSAGE_FIELDS, type ScanJob, type ScanMessage } from './scan-workers.js';

function readAt(fd: number, buf: Buffer, len: number, pos: number): number {
  let got = 0;
  for (let k = 1; got < len && k > 0; got += k) k = readSync(fd, buf, got, len - got, pos + got);
  return got;
}

/** Offset of the first \n at or after pos, or -1 when the file ends first. */
function newlineFrom(fd: number, buf: Buffer, pos: number, size: number): number {
  for (let got; pos < size && (got = readAt(fd, buf, Math.min(buf.length, size - pos), pos)) > 0; pos += got) {
    const nl = buf.subarray(0, got).indexOf(10);
    if (nl !== -1) return pos + nl;
  }
  return -1;
}

/**
 * The classifier's afterLeading for the line before `pos` (a line start): the last non-blank line
 * before it, classified alone (line-class.ts: whether the parser may keep it as a leading line
 * depends on that line only). Unknown — no such line within a buffer back — counts as leading:
 * the line at pos is then decoded, which never changes a result.
 */
function leadingBefore(fd: number, buf: Buffer, pos: number): boolean {
  const from = Math.max(0, pos - buf.length);
  const got = readAt(fd, buf, pos - from, from);
  let end = got; // buf[0, end) ends with the \n before pos
  while (end > 0) {
    // (A negative offset would count from the buffer's end.)
    const start = end >= 2 ? buf.subarray(0, end - 1).lastIndexOf(10) + 1 : 0;
    if (start === 0 && from > 0) return true; // the line starts before the buffer
    let i = start;
    while (i < end - 1 && (buf[i] === 0x20 || buf[i] === 9)) i++;
    if (i < end - 1) {
      const one = new WasmLineClassifier();
      one.classify(buf, start, end, 0, []);
      return one.afterLeading;
    }
    end = start;
  }
  return from > 0;
}

function scan(job: ScanJob, port: NonNullable<typeof parentPort>): void {
  const { fd, to, size, acks } = job;
  const buf = WasmLineClassifier.input();
  const classifier = new WasmLineClassifier();
  let runs: number[] = [];
  let segments: number[] = [];
  const capacity = MESSAGE_BYTES + READ_BYTES;
  let bytes = Buffer.allocUnsafe(capacity);
  let used = 0;
  let sent = 0;
  const post = (done: boolean): void => {
    for (let seen; ((sent - (seen = Atomics.load(acks, 0))) | 0) > job.maxInFlight; ) Atomics.wait(acks, 0, seen);
    const msg = Float64Array.from(runs);
    const segs = Float64Array.from(segments);
    const attached = new Uint8Array(bytes.buffer, bytes.byteOffset, used);
    sent = (sent + fieldsOf(msg, attached)) | 0;
    port.postMessage({ runs: msg, done, segments: segs, bytes: attached } satisfies ScanMessage, [msg.buffer, segs.buffer, attached.buffer]);
    runs = [];
    segments = [];
    bytes = Buffer.allocUnsafe(capacity);
    used = 0;
  };
  /**
   * Copies the DECODE runs among runs[from…] (the lines buf[0, end) starting at file offset pos),
   * each with the lines after it up to FOLLOW_BYTES (within the next run: segments never overlap).
   * They fit: together they are at most the READ_BYTES just read (MESSAGE_BYTES).
   */
  const attach = (from: number, end: number, pos: number): void => {
    for (let r = from; r < runs.length; r += RUN_FIELDS) {
      if (runs[r] !== DECODE) continue;
      const start = runs[r + 2] - pos;
      const lastRun = r + RUN_FIELDS >= runs.length;
      let stop = lastRun ? end : runs[r + RUN_FIELDS + 2] - pos;
      if (!lastRun) {
        const limit = Math.min(stop + FOLLOW_BYTES, r + 2 * RUN_FIELDS < runs.length ? runs[r + 2 * RUN_FIELDS + 2] - pos : end);
        stop = Math.max(stop, buf.lastIndexOf(10, limit - 1) + 1);
      }
      buf.copy(bytes, used, start, stop);
      segments.push(pos + start, pos + stop, used);
      used += stop - start;
    }
  };
  // A line belongs to the worker whose range holds its first byte.
  let pos = 0;
  if (job.from > 0) {
    const nl = newlineFrom(fd, buf, job.from - 1, size);
    pos = nl === -1 ? size : nl + 1;
    classifier.afterLeading = leadingBefore(fd, buf, pos);
  }
  while (pos < to && pos < size) {
    const got = readAt(fd, buf, Math.min(READ_BYTES, size - pos), pos);
    if (got === 0) break; // the file shrank under us: stop where it ends now
    let last = buf.subarray(0, got).lastIndexOf(10);
    if (last === -1) {
      // No \n in a whole buffer, or the file's last line has none: the main thread cuts it.
      const nl = pos + got >= size ? -1 : newlineFrom(fd, buf, pos + got, size);
      runs.push(LONG, 1, pos, nl);
      classifier.afterLeading = true; // decoded by the main thread, maybe a leading line
      pos = nl === -1 ? size : nl + 1;
    } else {
      if (pos + last >= to) last = buf.indexOf(10, to - 1 - pos); // later lines are the next worker's
      const from = runs.length;
      classifier.classify(buf, 0, last + 1, pos, runs);
      attach(from, last + 1, pos);
      pos += last + 1;
    }
    if (runs.length >= MESSAGE_FIELDS || used >= MESSAGE_BYTES) post(false);
  }
  post(true);
}

if (parentPort && (workerData as ScanJob | null)?.memtriageScan) {
  try {
    scan(workerData as ScanJob, parentPort);
  } catch (e) {
    parentPort.postMessage({ error: (e as Error).message } satisfies ScanMessage);
  }
}
