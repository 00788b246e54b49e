import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { readFixture, REPO_ROOT } from '../../../helpers.js';

// The oom_reaper lines kept aside while a log is read (src/parse/kernel/log/oom-reaper.ts) keep
// what they say, not the line: a message is a V8 slice of the piece of input it was read from,
// and a kept line kept that whole piece (4 MiB each on a folded line of copies). Not timing: the
// line object must be garbage once taken, in a node run with --expose-gc.

test('a taken oom_reaper line is not kept, only its numbers, which attach to the kill of its pid', () => {
  const text = readFixture('seed000-4.15-oom-kill-syslog.log').split('\n').find((l) => l.includes('oom_reaper: reaped'))!;
  const msg = text.slice(text.indexOf('oom_reaper: '));
  const pid = Number(/reaped process (\d+)/.exec(msg)![1]);
  const mod = JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'parse', 'kernel', 'log', 'oom-reaper.js')).href);
  const script = `
    const { OomReaperLines } = await import(${mod});
    const reaper = new OomReaperLines();
    let line = { input: 0, line: 7, text: ${JSON.stringify(text)}, msg: ${JSON.stringify(msg)}, prefixed: true, uptimeSec: null, time: null, timeText: null };
    const ref = new WeakRef(line);
    const taken = reaper.take(line);
    line = null;
    await new Promise((resolve) => setTimeout(resolve, 0)); // a WeakRef holds its target until the job ends
    globalThis.gc();
    const kill = { kind: 'oom_kill', line: 3, victim: { pid: ${pid}, reaped: null } };
    reaper.attach([kill]);
    console.log(JSON.stringify({ taken, collected: ref.deref() === undefined, reaped: kill.victim.reaped }));`;
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { taken: boolean; collected: boolean; reaped: unknown };
  assert.equal(out.taken, true);
  assert.equal(out.collected, true, 'the line object is still referenced after take()');
  // "now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB" on line 7
  assert.deepEqual(out.reaped, { anonRssKb: 0, fileRssKb: 0, shmemRssKb: 0, line: 7 });
});

// What the reaper keeps (its numbers) must not keep the input either: a line read from a big piece
// of input is a slice of it, and so is any part of its message (the regex's groups too). Measured
// as the heap after a full collection in a fresh node: with `msg: l.msg` or the message's tail kept,
// the 32 MiB piece stays (≈ 35 MiB); with the numbers only, ≈ 3 MiB.
const PIECE_BYTES = 32 << 20;

test(`what a taken oom_reaper line leaves behind does not keep the ${PIECE_BYTES >> 20} MiB piece of input it was a slice of`, () => {
  const text = readFixture('seed000-4.15-oom-kill-syslog.log').split('\n').find((l) => l.includes('oom_reaper: reaped'))!;
  const mod = JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'parse', 'kernel', 'log', 'oom-reaper.js')).href);
  const script = `
    const { OomReaperLines } = await import(${mod});
    const reaper = new OomReaperLines();
    const line = ${JSON.stringify(text)};
    // A flat piece of filler with the fixture line at its end, as a reader's piece of input is.
    let piece = Buffer.alloc(${PIECE_BYTES}, 'x').toString('latin1') + '\\n' + line;
    piece = piece.slice(0); // flatten
    let text = piece.slice(piece.length - line.length);
    let msg = text.slice(text.indexOf('oom_reaper: '));
    let l = { input: 0, line: 7, text, msg, prefixed: true, uptimeSec: null, time: null, timeText: null };
    piece = null; text = null; msg = null;
    const taken = reaper.take(l);
    l = null;
    /y/.exec('y'); // RegExp's last match keeps its input until another match
    globalThis.gc(); globalThis.gc();
    const heapUsed = process.memoryUsage().heapUsed;
    const kill = { kind: 'oom_kill', line: 3, victim: { pid: ${Number(/reaped process (\d+)/.exec(text)![1])}, reaped: null } };
    reaper.attach([kill]); // after the measurement: what the reaper took is still held while it is made
    console.log(JSON.stringify({ taken, heapUsed, reaped: kill.victim.reaped }));`;
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { taken: boolean; heapUsed: number; reaped: unknown };
  assert.equal(out.taken, true);
  assert.deepEqual(out.reaped, { anonRssKb: 0, fileRssKb: 0, shmemRssKb: 0, line: 7 });
  assert.ok(out.heapUsed < PIECE_BYTES / 4, `${(out.heapUsed / 2 ** 20).toFixed(1)} MiB in the heap after take(): the ${PIECE_BYTES >> 20} MiB piece is still kept`);
});
