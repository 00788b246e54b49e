import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KmsgTail, splitRecords } from '../../src/live/kmsg-tail.js';
import { OomKillTracker } from '../../src/metrics/oom-kills.js';
import { readFixture } from '../helpers.js';

// Two real memcg v1 OOM kills on this host (test/fixtures/README.md); the capture starts inside the
// first report's task table, as a ring buffer that wrapped would.
const MULTI = 'host-6.18-memcg-v1-oom-multi.kmsg.log';

/** What the test expects, read from the raw lines, not from the parser. */
function killsIn(text: string): { cgroup: string; program: string }[] {
  return [...text.matchAll(/oom-kill:.*oom_memcg=([^,]+),.*task=([^,]+),/g)].map((m) => ({ cgroup: m[1], program: m[2] }));
}

test('oom kills: each kill counted once, with its cgroup and program, across polls', async () => {
  const text = readFixture(MULTI);
  const expected = killsIn(text);
  assert.equal(expected.length, 2);
  const records = splitRecords(text);
  // Cut just before the second victim line: the second report has begun but its kill is not in yet.
  const cut = records.findIndex((r, i) => i > 10 && /Killed process/.test(r.text));
  const t = new OomKillTracker();
  t.add(records.slice(0, cut));
  const first = await t.take();
  assert.deepEqual(first.map(({ cgroup, program }) => ({ cgroup, program })), [expected[0]]);
  assert.deepEqual(await t.take(), [], 'nothing new: nothing counted twice');
  t.add(records.slice(cut));
  const second = await t.take();
  assert.deepEqual(second.map(({ cgroup, program }) => ({ cgroup, program })), [expected[1]]);
  // The same records again (a re-read after EPIPE) are not counted again.
  t.add(records);
  assert.deepEqual(await t.take(), []);
});

test('oom kills: a machine-wide OOM is labelled "/"', async () => {
  const text = readFixture('qemu-6.1-arm64-global-oom.log');
  const t = new OomKillTracker();
  // A qemu console capture (dmesg format): the tracker hands record text to the same parser as
  // analyze, which reads either form; the lines stay verbatim, numbered in order.
  const lines = text.split('\n').filter(Boolean);
  t.add(lines.map((l, i) => ({ seq: i, text: `${l}\n` })));
  const kills = await t.take();
  assert.ok(kills.length >= 1);
  assert.ok(kills.every((k) => k.cgroup === '/'), JSON.stringify(kills));
});

test('kmsg tail: a file being appended to is followed; an unfinished last line waits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mt-fleet-kmsg-'));
  const path = join(dir, 'kmsg');
  try {
    const text = readFixture(MULTI);
    const half = text.indexOf('\n', text.length >> 1) + 1;
    writeFileSync(path, text.slice(0, half) + text.slice(half, half + 7));
    const tail = new KmsgTail(path);
    tail.open();
    const a = tail.poll();
    appendFileSync(path, text.slice(half + 7));
    const b = tail.poll();
    tail.close();
    assert.deepEqual([...a, ...b].map((r) => r.text).join(''), splitRecords(text).map((r) => r.text).join(''));
    assert.equal(a[a.length - 1].seq + 1, b[0].seq);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
