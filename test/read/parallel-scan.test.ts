import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { rng } from '../../bench/rng.js';
import { realNoise } from './real-noise.js';
import { analyzeLines } from '../../src/analyze-input.js';
import { LineScanner } from '../../src/read/fast-scan.js';
import { LineStore } from '../../src/read/line-store.js';
import { FileChunks, openInput } from '../../src/read/open.js';
import { scanFileInWorkers } from '../../src/read/parallel-scan.js';
import { DECODE, READ_BYTES, RUN_FIELDS } from '../../src/read/line-class.js';
import { fieldsOf, FOLLOW_BYTES, PARALLEL_MIN_BYTES, startWorkers, workerCount } from '../../src/read/scan-workers.js';
import type { LineSink } from '../../src/read/run-feeder.js';
import { fixturePath, REPO_ROOT } from '../helpers.js';

// The worker path's own edges: lines that cross part boundaries or a worker's 256 KiB buffer,
// lines over 4 MiB (cut where the one-thread path's 1 MiB chunks end), a last line without \n,
// more workers than lines, flow control, and a CLI that exits when its workers are done.

const tmp = mkdtempSync(join(tmpdir(), 'memtriage-par-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function dmesgNoise(seed: number, n: number): string[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => `[${String(1000 + i).padStart(5)}.${String(i).padStart(6, '0')}] ${realNoise(r)}`);
}

function write(name: string, text: string): string {
  const file = join(tmp, name);
  writeFileSync(file, text, 'latin1');
  return file;
}

async function sameAsFullPath(file: string, workers: number): Promise<void> {
  const run = async (opts: { fast?: boolean; workers?: number }) => {
    const store = new LineStore();
    return { result: await analyzeLines('input', 0, await openInput(file), store, opts), store };
  };
  assert.deepStrictEqual(await run({ workers }), await run({ fast: false }), `${workers} workers`);
}

test('long lines, cut lines and a last line without a newline read the same through workers', async () => {
  const oom = readFileSync(fixturePath('host-6.18-hung-task-fuse.dmesg.log'), 'latin1').trimEnd();
  const text = [
    ...dmesgNoise(1, 900),
    `[ 2000.000001] usb 1-1: ${'x'.repeat(300 << 10)}`, // longer than a worker's buffer
    ...dmesgNoise(2, 300), oom, ...dmesgNoise(3, 300),
    `[ 2000.000002] ${'y'.repeat(9 << 20)} Out of memory: Killed process 1 (z)`, // cut in three
    'plain console text\r', ...dmesgNoise(4, 500),
    // Whether a line a little over 4 MiB is cut depends on where the 1 MiB chunks end.
    ...[0.1, 0.3, 0.5, 0.7, 0.9].map((f) => `[ 2000.000004] ${'v'.repeat((4 << 20) + f * (1 << 20))}`),
    `[ 2000.000003] ${'w'.repeat(5 << 20)}`, // the last line, no \n, cut too
  ].join('\n');
  const file = write('long.log', text);
  for (const workers of [2, 3, 4]) await sameAsFullPath(file, workers);
});

test('syslog lines after counted dmesg -T lines take the year the last of those states', async () => {
  const r = rng(9);
  const dated = Array.from({ length: 900 }, (_, i) => `[Sat Jun 11 10:21:50 ${2019 + Math.floor(i / 300)}] ${realNoise(r)}`);
  const oom = readFileSync(fixturePath('seed000-4.15-oom-kill-syslog.log'), 'latin1');
  const file = write('years.log', [...dated, oom].join('\n'));
  for (const workers of [1, 2]) await sameAsFullPath(file, workers);
  const result = await analyzeLines('input', 0, await openInput(file), new LineStore(), { workers: 2 });
  assert.match(JSON.stringify(result.incidents[0]), /"2021-/, 'the year of the last dmesg -T line');
});

test('more workers than lines: parts without a line start give nothing and lose nothing', async () => {
  const lines = dmesgNoise(5, 120);
  lines.splice(60, 0, `[ 3000.000000] ${'q'.repeat(4000)}`);
  const file = write('few.log', lines.join('\n') + '\n');
  for (const workers of [7, 16]) await sameAsFullPath(file, workers);
});

test('a worker that runs ahead waits for the main thread and resumes (flow control)', async () => {
  const oom = readFileSync(fixturePath('host-6.18-hung-task-fuse.dmesg.log'), 'latin1').trimEnd();
  const lines = dmesgNoise(6, 3000).flatMap((l, i) => (i % 7 === 3 ? [l, 'bare line', oom] : [l]));
  const file = write('ahead.log', lines.join('\n') + '\n');
  // A sink whose state depends on what it saw, so that any reordering shows.
  const record = (): { sink: LineSink; events: unknown[] } => {
    const events: unknown[] = [];
    let busy = 0;
    const sink: LineSink = {
      idle: () => busy === 0,
      line: (line, text, cut) => { events.push([line, text, cut]); busy = text.includes('blocked for more') ? 4 : Math.max(0, busy - 1); },
      skipped: (format, n, year) => void events.push([format, n, year]),
    };
    return { sink, events };
  };
  const one = record();
  const scanner = new LineScanner(one.sink);
  scanner.push(readFileSync(file));
  scanner.end();
  const par = record();
  const lastLine = await scanFileInWorkers((await openInput(file)) as FileChunks, par.sink, 3, 8);
  assert.equal(lastLine, scanner.lastLine);
  assert.deepStrictEqual(par.events, one.events);
});

test('an error in the sink stops the workers and reaches the caller', async () => {
  const file = write('throws.log', dmesgNoise(7, 5000).join('\n') + '\nplain line\n');
  const sink: LineSink = { idle: () => true, line: () => { throw new Error('sink broke'); }, skipped: () => undefined };
  await assert.rejects(scanFileInWorkers((await openInput(file)) as FileChunks, sink, 2), /sink broke/);
});

test('the CLI exits as soon as it is done on a file big enough for workers', { skip: availableParallelism() < 2 && 'one core: no workers' }, () => {
  const block = dmesgNoise(8, 20000).join('\n') + '\n' + readFileSync(fixturePath('host-6.18-hung-task-fuse.dmesg.log'), 'latin1');
  const text = block.repeat(Math.ceil((40 << 20) / block.length)); // over the 32 MiB threshold
  const file = write('big.log', text);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['bin/memtriage.js', 'analyze', file, '--format', 'json'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000, maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout) as { incidents: unknown[]; inputs: { lines: number }[] };
  assert.ok(json.incidents.length > 0);
  assert.equal(json.inputs[0].lines, text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
  assert.ok(Date.now() - t0 < 60_000, 'took over a minute');
});

test('worker count: none below PARALLEL_MIN_BYTES, and from it on one core fewer than the machine has', () => {
  const cores = availableParallelism();
  assert.equal(workerCount(PARALLEL_MIN_BYTES - 1), 0);
  const n = workerCount(PARALLEL_MIN_BYTES);
  assert.ok(n <= cores - 1, `${n} workers leave this thread a core of its own (${cores} cores)`);
  assert.ok(cores < 2 ? n === 0 : n >= 1, `${n} workers on ${cores} cores`);
});

test('a worker attaches each decoded run and the lines after it up to FOLLOW_BYTES, as they are in the file', async () => {
  // One buffer's worth (READ_BYTES): every run is classified in one call, so every run after a
  // decoded one is known when it is attached.
  const report = readFileSync(fixturePath('host-6.18-hung-task-fuse.dmesg.log'), 'latin1').trimEnd();
  const lines = dmesgNoise(8, 1500).flatMap((l, i) => (i % 300 === 150 ? [l, report] : [l]));
  const file = write('follow.log', lines.join('\n') + '\n');
  const bytes = readFileSync(file);
  assert.ok(bytes.length < READ_BYTES);
  const fd = openSync(file, 'r');
  const [w] = startWorkers(fd, bytes.length, 1);
  const runs: number[] = [];
  const segments: [number, number][] = [];
  try {
    for (let done = false; !done;) {
      const m = await w.next();
      for (let k = 0; k < m.segments.length; k += 3) {
        const [from, to, at] = [m.segments[k], m.segments[k + 1], m.segments[k + 2]];
        assert.ok(Buffer.from(m.bytes.subarray(at, at + to - from)).equals(bytes.subarray(from, to)), `the bytes of [${from}, ${to})`);
        segments.push([from, to]);
      }
      runs.push(...m.runs);
      w.ack(fieldsOf(m.runs, m.bytes));
      done = m.done;
    }
  } finally {
    await w.worker.terminate();
    closeSync(fd);
  }
  const attached = (from: number, to: number): boolean => segments.some(([a, b]) => a <= from && to <= b);
  let followers = 0;
  for (let r = 0; r + RUN_FIELDS < runs.length; r += RUN_FIELDS) {
    if (runs[r] !== DECODE) continue;
    const next = runs[r + RUN_FIELDS + 2];
    const after = r + 2 * RUN_FIELDS < runs.length ? runs[r + 2 * RUN_FIELDS + 2] : bytes.length;
    assert.ok(attached(runs[r + 2], next), `the decoded run at ${runs[r + 2]}`);
    for (let s = next, e; s < after && (e = bytes.indexOf(10, s) + 1) - next <= FOLLOW_BYTES; s = e, followers++) {
      assert.ok(attached(s, e), `the line at ${s}, ${s - next} bytes after the decoded run at ${runs[r + 2]}`);
    }
  }
  assert.ok(followers > 100, `${followers} lines after decoded runs`);
});

test('flow control counts the whole buffer a message holds: a reader that falls behind holds at most maxInFlight fields and one message', async () => {
  // A run per line and nothing decoded: messages full of runs whose buffers are all but empty.
  const file = write('runs.log', dmesgNoise(9, 40000).flatMap((l) => [l, '']).join('\n') + '\n');
  const size = readFileSync(file).length;
  const maxInFlight = 100_000;
  const fd = openSync(file, 'r');
  const [w] = startWorkers(fd, size, 1, maxInFlight);
  try {
    // Take what the worker posts, without acknowledging, until it has paused a while.
    const held: number[] = [];
    const quiet = () => new Promise<'quiet'>((resolve) => setTimeout(resolve, 500, 'quiet'));
    for (let m; (m = await Promise.race([w.next(), quiet()])) !== 'quiet' && !m.done;) held.push(fieldsOf(m.runs, m.bytes));
    assert.ok(held.length >= 1);
    assert.ok(held.reduce((a, b) => a + b, 0) <= maxInFlight + Math.max(...held), `held ${held.length} messages, ${held.reduce((a, b) => a + b, 0)} fields`);
  } finally {
    await w.worker.terminate();
    closeSync(fd);
  }
});
