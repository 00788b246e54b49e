import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, fixturePath, isRoot } from '../helpers.js';

// Item 1 of issue 10: -o writes only a regular file (or stdout for "-"), never replaces a device,
// a directory or a symlink, and no error ever shows a stack trace.
const BIN = join(REPO_ROOT, 'bin', 'memtriage.js');
const LOG = fixturePath('host-6.18-memcg-v1-oom.dmesg.log');
let dir = '';

function run(args: string[], cwd = REPO_ROOT): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function noStack(err: string): void {
  assert.doesNotMatch(err, /^\s+at .+\(.*:\d+:\d+\)$/m, 'a stack trace reached the user');
  assert.doesNotMatch(err, /internal error/);
}

before(() => { dir = mkdtempSync(join(tmpdir(), 'mt-out-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

test('analyze -o onto a device, a directory or a symlink is refused (exit 2, named, nothing replaced)', () => {
  for (const [target, what] of [['/dev/null', 'a device'], ['/dev/full', 'a device'], [dir, 'a directory']] as const) {
    const r = run(['analyze', LOG, '-o', target]);
    assert.equal(r.code, 2, `${target}: ${r.err}`);
    assert.ok(r.err.includes(`${target} is ${what}, not a regular file`), r.err);
    noStack(r.err);
  }
  assert.ok(statSync('/dev/null').isCharacterDevice(), '/dev/null is still a device');
  const real = join(dir, 'real.txt');
  writeFileSync(real, 'keep me\n');
  const link = join(dir, 'link.txt');
  symlinkSync(real, link);
  const r = run(['analyze', LOG, '-o', link]);
  assert.equal(r.code, 2);
  assert.match(r.err, /link\.txt is a symbolic link/);
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.equal(readFileSync(real, 'utf8'), 'keep me\n');
});

test('analyze -o into a missing directory says so, without a stack trace', () => {
  const r = run(['analyze', LOG, '-o', join(dir, 'missing', 'dir', 'f.txt')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /its directory .*missing\/dir does not exist \(ENOENT\); create it first/);
  noStack(r.err);
});

test('analyze -o - is standard output, never a file named "-"; -o FILE replaces a regular file whole', () => {
  const cwd = join(dir, 'cwd');
  mkdirSync(cwd);
  const r = run(['analyze', LOG, '-o', '-'], cwd);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /killed python3 \(pid 2822\)/);
  assert.equal(existsSync(join(cwd, '-')), false);
  const file = join(dir, 'report.json');
  writeFileSync(file, 'old');
  assert.equal(run(['analyze', LOG, '-f', 'json', '-o', file]).code, 0);
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).incidents[0].victim.pid, 2822);
});

test('collect -o onto a device path as root leaves the device intact', { skip: isRoot ? false : 'needs root to create a device node with mknod' }, () => {
  const dev = join(dir, 'nulldev');
  // A real character device (1:3, like /dev/null) in our own directory, so nothing shared is at risk.
  const mk = spawnSync('mknod', [dev, 'c', '1', '3']);
  assert.equal(mk.status, 0, String(mk.stderr));
  const r = run(['collect', '-o', dev, '--max-processes', '5']);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /nulldev is a device, not a regular file/);
  noStack(r.err);
  const st = statSync(dev);
  assert.ok(st.isCharacterDevice(), 'the device node was replaced');
  assert.equal(st.rdev, statSync('/dev/null').rdev);
  const link = run(['collect', '-o', '/dev/stdout', '--max-processes', '5']);
  assert.equal(link.code, 2);
  assert.match(link.err, /\/dev\/stdout is a symbolic link/);
});

test('collect -o - writes the bundle to standard output and leaves no file behind', () => {
  const cwd = join(dir, 'collect-cwd');
  mkdirSync(cwd);
  const r = spawnSync(process.execPath, [BIN, 'collect', '-o', '-', '--max-processes', '5'], { cwd, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  assert.equal(r.status, 0, String(r.stderr));
  assert.deepEqual([...r.stdout.subarray(0, 2)], [0x1f, 0x8b], 'a gzip stream');
  assert.match(String(r.stderr), /processes skipped \(--max-processes 5\)/);
  assert.equal(existsSync(join(cwd, '-')), false);
});

// The report file is written synchronously chunk by chunk (output.ts): a full disk must still end
// in the clear message, exit 2, no temp file left and the old report untouched. A 16 KiB tmpfs
// holds the old report but not a JSON report of ≈ 100 KB.
test('analyze -o onto a full file system: ENOSPC named, nothing half-written left, the old file kept', { skip: isRoot ? false : 'needs root to mount a small tmpfs' }, (t) => {
  const mnt = join(dir, 'small');
  mkdirSync(mnt);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'memtriage-test-full', mnt]);
  if (m.status !== 0) { t.skip(`mount failed: ${String(m.stderr).trim()}`); return; }
  try {
    const file = join(mnt, 'report.json');
    writeFileSync(file, 'old report\n');
    const big = fixturePath('qemu-4.4-global-oom-flapping.log');
    const r = run(['analyze', big, '-f', 'json', '-o', file]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /report\.json: writing the report failed \(ENOSPC: no space left on the device\); free space or choose another place with -o/);
    noStack(r.err);
    assert.equal(readFileSync(file, 'utf8'), 'old report\n');
    assert.deepEqual(readdirSync(mnt), ['report.json'], 'no temp file left behind');
  } finally {
    spawnSync('umount', [mnt]);
  }
});
