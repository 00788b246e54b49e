import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CriticalLocker } from '../../../src/guard/lock/locker.js';
import { lockFile, pageSize, release } from '../../../src/guard/lock/mlock.js';
import { RealReader } from '../../../src/live/real-reader.js';
import { isRoot } from '../../helpers.js';

/** VmLck of this process, kB, read by the test from the kernel. */
function vmLckKb(): number {
  return Number(/^VmLck:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
}

const WHY = isRoot ? null : 'needs root: mlock beyond RLIMIT_MEMLOCK (8 MiB here for users) needs CAP_IPC_LOCK';

test('lockFile: a real 6 MiB file locked shows in VmLck exactly, and release gives it back', (t) => {
  if (WHY) return t.skip(WHY);
  const dir = mkdtempSync(join(tmpdir(), 'mt-fleet-lock-'));
  try {
    const path = join(dir, 'data');
    writeFileSync(path, Buffer.alloc(6 * 1024 * 1024 + 100, 7)); // not a page multiple: the tail page counts whole
    const before = vmLckKb();
    const lock = lockFile(path, [{ offset: 0, bytes: 64 * 1024 * 1024 }]); // asks past EOF: cut to the file
    const pages = Math.ceil((6 * 1024 * 1024 + 100) / pageSize());
    assert.equal(lock.bytes, pages * pageSize());
    assert.equal(vmLckKb() - before, lock.bytes / 1024);
    release(lock.held);
    assert.equal(vmLckKb(), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function startDaemon(exe: string): Promise<ChildProcess> {
  const child = spawn(exe, ['600'], { stdio: 'ignore' });
  await once(child, 'spawn');
  // Wait until exec is done and the loader mapped libc (maps lists the binary and its libraries).
  for (let i = 0; i < 100 && !/libc/.test(readFileSync(`/proc/${child.pid}/maps`, 'utf8')); i++) await new Promise((r) => setTimeout(r, 20));
  return child;
}

test('CriticalLocker: locks a running daemon\'s binary and libraries within the budget, follows a restart on a new binary, releases all', { timeout: 60_000 }, async (t) => {
  if (WHY) return t.skip(WHY);
  const dir = mkdtempSync(join(tmpdir(), 'mt-fleet-lock-'));
  // A daemon of our own: /bin/sleep under a 15-character name, so its comm is exactly that.
  const exe = join(dir, 'mt-fleet-daemon');
  copyFileSync('/bin/sleep', exe);
  let child = await startDaemon(exe);
  const reader = new RealReader();
  const before = vmLckKb();
  let locker: CriticalLocker | null = null;
  try {
    locker = new CriticalLocker({ reader, daemons: ['mt-fleet-daemon'], selfPid: null, budgetBytes: 64 * 1024 * 1024 });
    const s = await locker.refresh();
    assert.deepEqual(s.daemons, [{ name: 'mt-fleet-daemon', pids: [child.pid] }]);
    const paths = s.files.map((f) => f.path);
    assert.equal(paths[0], exe, 'the executable first');
    assert.ok(paths.some((p) => /libc/.test(p)), paths.join(', '));
    assert.equal(vmLckKb() - before, s.lockedBytes / 1024);
    assert.ok(s.lockedBytes <= s.budgetBytes);

    // Budget cut: just the executable's pages.
    const exeBytes = s.files[0].bytes;
    const small = new CriticalLocker({ reader, daemons: ['mt-fleet-daemon'], selfPid: null, budgetBytes: exeBytes });
    const cut = await small.refresh();
    assert.deepEqual(cut.files.map((f) => f.path), [exe]);
    assert.ok(cut.skipped.some((x) => /libc/.test(x.path) && /over budget/.test(x.reason)));
    small.releaseAll();
    assert.equal(vmLckKb() - before, s.lockedBytes / 1024, 'the small locker let go of its pages');

    // The daemon is upgraded (a new file renamed over the old: a new inode) and restarted.
    child.kill('SIGKILL');
    await once(child, 'exit');
    copyFileSync('/bin/sleep', `${exe}.new`);
    renameSync(`${exe}.new`, exe);
    child = await startDaemon(exe);
    const again = await locker.refresh();
    assert.deepEqual(again.daemons[0].pids, [child.pid]);
    assert.equal(again.files[0].path, exe);
    assert.notEqual(again.files[0].inode, s.files[0].inode);
    assert.equal(again.files[0].inode, statSync(exe).ino, 'the running binary is the one locked');
    assert.equal(vmLckKb() - before, again.lockedBytes / 1024, 'the old binary\'s lock was released, the new one taken');

    locker.releaseAll();
    assert.equal(vmLckKb(), before);
    assert.equal(locker.status().lockedBytes, 0);
  } finally {
    locker?.releaseAll();
    child.kill('SIGKILL');
    await reader.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
