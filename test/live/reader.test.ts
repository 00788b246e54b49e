import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FixtureReader, reportableFailures } from '../../src/live/reader.js';
import { RealReader } from '../../src/live/real-reader.js';
import { FIXTURES } from '../helpers.js';

const TREE = join(FIXTURES, 'proc-tree-host-6.18');

test('fixture reader serves the captured tree and records what is missing', async () => {
  const r = new FixtureReader(TREE);
  assert.match((await r.readFile('/proc/meminfo'))!, /^MemTotal:\s+24683656 kB$/m);
  assert.ok((await r.readdir('/proc'))!.includes('1'));
  assert.equal(await r.readFile('/proc/modules'), null);
  assert.deepEqual(r.failures().map((f) => [f.path, f.code]), [['/proc/modules', 'ENOENT']]);
  assert.deepEqual(reportableFailures(r), [], 'a missing optional file is absence, not an error to show');
  assert.deepEqual(await r.statfs('/dev/shm'), { sizeBytes: 25276063744, usedBytes: 0 });
});

test('real reader: a read that blocks is abandoned after the timeout and later reads still work', async (t) => {
  // A FIFO with no writer blocks open(2) forever: the same shape as a /proc/PID/maps read
  // sleeping on a stuck mm lock.
  const dir = mkdtempSync(join(tmpdir(), 'mt-reader-'));
  const fifo = join(dir, 'stuck');
  const plain = join(dir, 'plain');
  writeFileSync(plain, 'hello\n');
  try {
    execFileSync('mkfifo', [fifo]);
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return t.skip('needs mkfifo');
  }
  const r = new RealReader({ timeoutMs: 300, helpers: 1 });
  try {
    const [stuck, ok] = await Promise.all([r.readFile(fifo), r.readFile(plain)]);
    assert.equal(stuck, null);
    assert.equal(ok, 'hello\n', 'the read queued behind the stuck one is served by a fresh helper');
    const f = r.failures().find((x) => x.path === fifo)!;
    assert.equal(f.code, 'TIMEOUT');
    assert.deepEqual(await r.readFiles([plain, join(dir, 'nope')]), ['hello\n', null]);
    assert.equal(r.failures().at(-1)!.code, 'ENOENT');
  } finally {
    await r.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('real reader: errors become failures, never exceptions', async () => {
  const r = new RealReader();
  try {
    assert.equal(await r.readdir('/nonexistent-dir-for-memtriage'), null);
    assert.equal(await r.readlink('/proc/self/exe') !== null, true);
    assert.equal(r.failures()[0].code, 'ENOENT');
  } finally {
    await r.close();
  }
});
