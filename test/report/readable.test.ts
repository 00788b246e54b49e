import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/command.js';
import { render } from '../../src/report/index.js';
import { analyzeFixtures } from '../helpers.js';

// Issue 10 item 7: readable at 3 am.
test('an unlimited memcg counter reads "no limit", not 8589934592.0 GiB', async () => {
  const a = await analyzeFixtures(['host-6.18-memcg-v1-oom.dmesg.log']);
  const text = render(a, 'text');
  assert.match(text, /cgroup memory\+swap: usage 64\.0 MiB, no limit, failcnt 0/);
  assert.match(text, /cgroup memory: usage 64\.0 MiB, limit 64\.0 MiB, failcnt 1863/);
  assert.doesNotMatch(text, /8589934592/);
});

test('the header counts incidents and snapshots apart', async () => {
  const a = await analyzeFixtures(['host-6.18-memcg-v1-oom.dmesg.log', 'host-6.18-meminfo.txt', 'host-6.18-slabinfo.txt']);
  assert.match(render(a, 'text'), /^memtriage: 3 inputs, 1 incident, 2 snapshots, \d+ findings?$/m);
  assert.match(render(a, 'md'), /^1 incident, 2 snapshots, \d+ findings?\.$/m);
});

test('the timeline has one time format and is in time order', async () => {
  // Two dmesg -T captures given newest first: the timeline still runs oldest first, in wall clock.
  const a = await analyzeFixtures(['host-6.18-memcg-v1-oom-multi.dmesg-T.log', 'host-6.18-memcg-v1-oom.dmesg-T.log']);
  const rows = render(a, 'text').split('\n').filter((l) => /^ {2}#\d+ /.test(l)).slice(0, a.incidents.length);
  const stamps = rows.map((r) => /^ {2}#\d+ (\S+ \S+)/.exec(r)![1]);
  assert.ok(stamps.every((s) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(s)), stamps.join(' / '));
  assert.deepEqual([...stamps].sort(), stamps);
  // Without wall clocks, one input: seconds after boot, sorted.
  const up = await analyzeFixtures(['host-6.18-hung-task-fuse.dmesg.log']);
  const upRows = render(up, 'text').split('\n').filter((l) => /^ {2}#\d+ /.test(l)).slice(0, up.incidents.length);
  assert.ok(upRows.every((r) => / s after boot /.test(r)), upRows.join('\n'));
});

test('every command answers --version', async () => {
  for (const cmd of ['analyze', 'where', 'cache', 'collect']) {
    let out = '';
    const io = { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: () => true }, stdin: process.stdin, env: {} } as unknown as CliIO;
    assert.equal(await main([cmd, '--version'], io), 0);
    assert.match(out, /^\d+\.\d+\.\d+\n$/);
  }
});
