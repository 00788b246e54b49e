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
