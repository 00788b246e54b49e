import assert from 'node:assert/strict';
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import koffi from 'koffi';
import { cacheCommand } from '../../src/cli/cache.js';
import { createResidency } from '../../src/live/residency.js';
import { runCommand } from '../helpers.js';

const MIB = 1 << 20;
const POSIX_FADV_DONTNEED = 4;
let dir = '';
let file = '';

const runCli = (argv: string[]) => runCommand(cacheCommand, argv);

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mt-cache-'));
  file = join(dir, 'fresh-64m');
  // A freshly written file sits in the page cache; fsync so its pages are clean and can be dropped.
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(MIB, 0x5a);
  for (let i = 0; i < 64; i++) writeSync(fd, chunk);
  fsyncSync(fd);
  closeSync(fd);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function dropFromCache(path: string): void {
  const libc = koffi.load('libc.so.6');
  const fadvise = libc.func('int posix_fadvise(int fd, int64_t offset, int64_t len, int advice)');
  const fd = openSync(path, 'r');
  try {
    assert.equal(fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
  } finally {
    closeSync(fd);
  }
}

test('cache: a fresh 64 MiB file is ≈100 % resident, ≈0 % after POSIX_FADV_DONTNEED (cachestat and mincore agree)', async () => {
  const auto = await createResidency();
  const mincore = await createResidency({ method: 'mincore' });
  const pages = (64 * MIB) / auto.pageSize;
  for (const r of [auto.residency(file), mincore.residency(file)]) {
    assert.equal(r.sizeBytes, 64 * MIB);
    assert.equal(r.pages, pages);
    assert.ok(r.percent! > 95, `${r.method}: ${r.percent}% resident after writing`);
  }
  assert.equal(mincore.residency(file).method, 'mincore');
  const { code, out } = await runCli([file, '--format', 'json']);
  assert.equal(code, 0);
  const json = JSON.parse(out);
  assert.deepEqual(Object.keys(json.files[0]).slice(0, 5), ['path', 'sizeBytes', 'pages', 'cachedPages', 'percent']);
  assert.equal(json.files[0].path, file);
  assert.ok(json.files[0].percent > 95);

  dropFromCache(file);
  for (const r of [auto.residency(file), mincore.residency(file)]) {
    assert.ok(r.percent! < 5, `${r.method}: ${r.percent}% resident after DONTNEED`);
  }
  const text = await runCli([file]);
  assert.match(text.out, /fresh-64m\s+64\.0 MiB\s+16384\s+\d+\s+\d\.\d%/);
});

test('cache: the measurement does not read the file in', async () => {
  const { residency } = await createResidency({ method: 'mincore' });
  dropFromCache(file);
  residency(file);
  residency(file);
  assert.ok(residency(file).percent! < 5, 'mincore on a read-only mmap must not fault pages in');
});

test('cache: a directory is walked; an unreadable path exits 2 naming it', async () => {
  const { code, out } = await runCli([dir, '--format', 'json']);
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out).files.map((f: any) => f.path), [file]);
  const bad = await runCli([join(dir, 'missing')]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /missing: cannot measure it \(ENOENT/);
});

test('cache --pid: files mapped by a process include its own binary', async () => {
  const { code, out } = await runCli(['--pid', String(process.pid), '--format', 'json']);
  assert.equal(code, 0);
  const paths = JSON.parse(out).files.map((f: any) => f.path);
  assert.ok(paths.some((p: string) => p.endsWith('/node') || p === process.execPath), paths.join(' '));
});
