import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { rng } from '../../bench/rng.js';
import { realNoise } from './real-noise.js';
import { analyzeLines } from '../../src/analyze-input.js';
import { LineStore } from '../../src/read/line-store.js';
import { FileChunks, openInput } from '../../src/read/open.js';
import { scanFileInWorkers } from '../../src/read/parallel-scan.js';
import { prestartScan, takePrestarted } from '../../src/read/scan-prestart.js';
import { MAX_IN_FLIGHT, PARALLEL_MIN_BYTES, workerCount } from '../../src/read/scan-workers.js';
import type { LineSink } from '../../src/read/run-feeder.js';
import { REPO_ROOT } from '../helpers.js';

// Workers started for the first input while the analyze modules load (scan-prestart.ts): taken
// only for the very same file, stopped otherwise, never started for what scanInput would read on
// one thread, and never keeping the process alive when nobody takes them.

const tmp = mkdtempSync(join(tmpdir(), 'memtriage-prestart-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const skip = availableParallelism() < 2 ? 'one CPU: scanInput uses no workers, so none are prestarted' : false;

/** A dmesg log just over the size from which scanInput uses workers, with one real kill line in it. */
function bigLog(name: string, seed: number, everyOtherKill = false): string {
  const r = rng(seed);
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes <= (everyOtherKill ? 3 : 1) * PARALLEL_MIN_BYTES; i++) {
    const l = i === 150_000 || (everyOtherKill && i % 2 === 1) ? '[ 9000.000001] Out of memory: Killed process 4242 (stress-ng) total-vm:1052960kB, anon-rss:1047064kB, file-rss:4kB, shmem-rss:0kB, UID:0 pgtables:2108kB oom_score_adj:1000'
      : `[${String(1000 + (i >> 10)).padStart(5)}.${String(i % 1000000).padStart(6, '0')}] ${realNoise(r)}`;
    lines.push(l);
    bytes += Buffer.byteLength(l) + 1;
  }
  const file = join(tmp, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Descriptors of this process open on file (/proc/self/fd). */
function fdsOn(file: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try { if (readlinkSync(`/proc/self/fd/${fd}`) === file) n++; } catch { /* closed meanwhile */ }
  }
  return n;
}

const sink = (events: unknown[]): LineSink => ({ idle: () => true, line: (l, t) => void events.push([l, t]), skipped: (f, n, y) => void events.push([f, n, y]) });

test('prestarted workers are taken by the scan of the same file and read it as freshly started ones do', { skip }, async () => {
  const file = bigLog('same.log', 1);
  prestartScan(file);
  const chunks = (await openInput(file)) as FileChunks;
  const early = await takePrestarted(chunks.fh.fd);
  assert.ok(early, 'the workers started for this file');
  assert.equal(early.workers.length, workerCount(chunks.size));
  const viaPrestart: unknown[] = [];
  await scanFileInWorkers(chunks, sink(viaPrestart), early.workers.length, MAX_IN_FLIGHT, undefined, early);
  const fresh: unknown[] = [];
  await scanFileInWorkers((await openInput(file)) as FileChunks, sink(fresh), early.workers.length);
  assert.deepStrictEqual(viaPrestart, fresh);
  assert.ok(viaPrestart.some((e) => Array.isArray(e) && String(e[1]).includes('Killed process 4242')), 'the kill line was decoded');
  assert.equal(fdsOn(file), 0, 'the prestart descriptor is closed with the scan');
  // And through analyzeLines, as the CLI reads it: the same result as decoding every line.
  prestartScan(file);
  const run = async (opts: { fast?: boolean }) => analyzeLines('input', 0, await openInput(file), new LineStore(), opts);
  assert.deepStrictEqual(await run({}), await run({ fast: false }));
  assert.equal(await takePrestarted(-1), null, 'analyzeLines took them');
});

test('workers prestarted for another file are stopped and their descriptor closed', { skip }, async () => {
  const a = bigLog('a.log', 2);
  const b = bigLog('b.log', 3);
  prestartScan(a);
  assert.equal(fdsOn(a), 1);
  const fd = openSync(b, 'r');
  try {
    assert.equal(await takePrestarted(fd), null);
  } finally {
    closeSync(fd);
  }
  assert.equal(fdsOn(a), 0);
  // A file that grew after the prestart is another file too (its parts would be wrong).
  prestartScan(a);
  writeFileSync(a, '[ 9999.000000] one more line\n', { flag: 'a' });
  const again = (await openInput(a)) as FileChunks;
  assert.equal(await takePrestarted(again.fh.fd), null);
  await again.close();
  assert.equal(fdsOn(a), 0);
});

test('nothing is prestarted for what scanInput reads on one thread', { skip }, async () => {
  const small = join(tmp, 'small.log');
  writeFileSync(small, '[    1.000000] Linux version 6.1.0\n');
  const article = join(tmp, 'article.txt');
  writeFileSync(article, 'Not a kernel log at all, line after line.\n'.repeat((PARALLEL_MIN_BYTES >> 5) + 1000));
  // A named FIFO with no writer: opening it would wait forever (and a pipe's head is not ours to read).
  const fifo = join(tmp, 'fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  for (const file of [small, article, join(tmp, 'missing.log'), tmp, fifo]) {
    prestartScan(file);
    assert.equal(fdsOn(file), 0, file);
    const fd = openSync(small, 'r');
    assert.equal(await takePrestarted(fd), null, file);
    closeSync(fd);
  }
});

test('workers nobody takes do not keep the process alive', { skip }, () => {
  // Every other line is decoded: a run each and its bytes attached, several times MAX_IN_FLIGHT
  // fields per worker, so the workers pause for a reader that never comes (without unref the
  // child would never exit).
  const file = bigLog('untaken.log', 4, true);
  const mod = pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'read', 'scan-prestart.js')).href;
  // The child starts the workers, never takes them and ends its script: it must exit by itself
  // (they may be paused by flow control with nobody reading). The timeout only guards a hang.
  // A script file, not -e: workers inherit node's options, and --input-type would stop them at once.
  const script = join(tmp, 'untaken.mjs');
  writeFileSync(script, `import { prestartScan } from '${mod}';\nprestartScan(${JSON.stringify(file)});\n`);
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.error, undefined, 'the child exited by itself');
  assert.equal(r.status, 0, r.stderr);
});
