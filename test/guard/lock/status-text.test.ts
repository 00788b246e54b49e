import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LockStatus } from '../../../src/guard/lock/locker.js';
import { renderLockStatus } from '../../../src/guard/lock/status-text.js';

const MiB = 1048576;

test('lock status text: budget, daemons found and absent, largest files first, what did not fit and why', () => {
  const s: LockStatus = {
    budgetBytes: 256 * MiB, lockedBytes: 6 * MiB, refreshedAtMs: 1,
    files: [{ path: '/usr/sbin/sshd', inode: 1, bytes: 1 * MiB, daemons: ['sshd'] }, { path: '/lib/libc.so.6', inode: 2, bytes: 5 * MiB, daemons: ['memtriage', 'sshd'] }],
    skipped: [{ path: '/usr/bin/kubelet', bytes: 300 * MiB, reason: 'over budget (6291456 of 268435456 bytes used)' }],
    daemons: [{ name: 'sshd', pids: [812] }, { name: 'kubelet', pids: [] }, { name: 'dockerd', pids: [] }],
  };
  assert.equal(renderLockStatus(s), [
    'locked: 6.0 MiB of a 256.0 MiB budget in 2 files',
    '  sshd: pid 812',
    '  not running here: kubelet, dockerd',
    '     5.0 MiB  /lib/libc.so.6  (memtriage, sshd)',
    '     1.0 MiB  /usr/sbin/sshd  (sshd)',
    'not locked: 1 file, 300.0 MiB',
    '   300.0 MiB  /usr/bin/kubelet: over budget (6291456 of 268435456 bytes used)',
    '',
  ].join('\n'));
  assert.match(renderLockStatus(s, 1), /1\.0 MiB {2}1 more files/);
});
