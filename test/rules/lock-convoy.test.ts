import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lockConvoy } from '../../src/rules/lock-convoy.js';
import { available, evidenceText, only, runRule } from './run-rule.js';

const SEED004 = ['seed004-3.10-crash-ps-un.txt', 'seed004-3.10-crash-bt-top.txt', 'seed004-3.10-crash-mutex.txt', 'seed004-3.10-crash-bt-ps-owner.txt', 'seed004-3.10-crash-list-waiters.txt', 'seed004-3.10-crash-sched-info.txt', 'seed004-3.10-crash-sched-info-ps-owner.txt'];

// Seed 004: 760 UN tasks, i_mutex owned by ps pid 24156 in wait_iff_congested, 1498 list lines = 749 waiters.
for (const inputs of [SEED004, ['seed:004']]) {
  test(`fires on ${inputs.length > 1 ? 'seed 004 crash fixtures' : inputs[0]}: one lock, owner stuck allocating`, { skip: !available(inputs) && 'no seeds' }, async () => {
    const f = await only(lockConvoy, inputs);
    assert.equal(f.severity, 'critical');
    assert.equal(f.title, '749 tasks wait on one lock held by ps (pid 24156), itself stuck allocating memory');
    assert.deepEqual(f.data, {
      lock: 'inode.i_mutex', lockAddress: '0xffff88042ec30040', ownerTask: '0xffff88000f04e400', ownerPid: 24156, ownerComm: 'ps',
      ownerWait: 'wait_iff_congested', ownerWaitKind: 'memory', waiters: 749, unTasks: 760, waiterComms: ['top'], lockTakenIn: 'lookup_slow',
    });
    for (const s of ['760 tasks were in UN', 'mutex_lock ← lookup_slow', '1498 lines = 749 waiters', 'wait_iff_congested ← __alloc_pages_nodemask', 'cannot free their memory', 'turns a slowdown into a hang']) {
      assert.ok(f.explanation.includes(s), s);
    }
    assert.match(evidenceText(f), /owner = 0xffff88000f04e400,/);
    assert.match(evidenceText(f), /PID: 24156 TASK: ffff88000f04e400 CPU: 2 COMMAND: "ps"/);
    assert.match(evidenceText(f), /#3 \[ffff8800062598d8\] wait_iff_congested at ffffffff81131f78/);
    assert.match(evidenceText(f), /^1498$/m);
    assert.match(evidenceText(f), /^760$/m);
  });
}

test('without the owner\'s stack the lock cannot be followed: silent', async () => {
  const inputs = SEED004.filter((n) => n !== 'seed004-3.10-crash-bt-ps-owner.txt');
  assert.deepEqual((await runRule(lockConvoy, inputs)).findings, []);
});

// Blocked tasks waiting on IO (seed 002), a FUSE hung task, an OOM, a crash dump without a lock.
const silent = [['seed002-4.9-sysrq-w-arm.log'], ['host-6.18-hung-task-fuse.dmesg.log'], ['seed:003'], ['seed:002'], ['seed004-3.10-crash-ps-un.txt', 'seed004-3.10-crash-bt-top.txt']];
for (const inputs of silent) {
  test(`silent on ${inputs.join(' + ')}`, { skip: !available(inputs) && 'no seeds' }, async () => {
    assert.deepEqual((await runRule(lockConvoy, inputs)).findings, []);
  });
}

// A real inode-lock convoy that is not about memory (qemu 6.1, 8 dd writing one ext4 file in a 32 MiB
// memcg, writes throttled to 1 MiB/s by qemu): sysrq w shows 7 tasks in rwsem_down_write_slowpath
// behind the one in balance_dirty_pages (dirty throttling: it waits for the disk). No task waits for
// memory, so no memory convoy may be claimed, whatever minWaiters is.
test('silent on a convoy behind a task throttled on dirty pages (an IO wait, not memory)', async () => {
  const inputs = ['qemu-6.1-sysrq-w-inode-lock-convoy-io.log'];
  assert.deepEqual((await runRule(lockConvoy, inputs)).findings, []);
  const a = await runRule(lockConvoy, inputs);
  const blocked = a.analysis.incidents.find((i) => i.kind === 'sysrq_blocked');
  assert.equal(blocked?.kind === 'sysrq_blocked' ? blocked.tasks.length : 0, 8);
});

// The same boot with vm.dirty_ratio 90 and the io controller kept off the v2 hierarchy (mounted on v1),
// so the cgroup fills with dirty pages and its reclaim, not dirty throttling, stalls: 7 dd in
// rwsem_down_write_slowpath ← ext4_buffered_write_iter, and dd 117 in reclaim_throttle ← shrink_node ←
// do_try_to_free_pages ← try_to_free_mem_cgroup_pages (charging a buffer head inside ext4's write).
test('fires from stack dumps alone: 7 tasks on a lock, one stuck in memcg reclaim; says it is likely, not proven', async () => {
  const f = await only(lockConvoy, ['qemu-6.1-sysrq-w-inode-lock-convoy-memcg.log']);
  assert.equal(f.severity, 'warning');
  assert.equal(f.title, '7 blocked tasks wait on locks while dd (pid 117) is stuck allocating memory');
  assert.deepEqual(f.data, { waiters: 7, ownerPid: null, memoryWaiters: [{ comm: 'dd', pid: 117 }] });
  // The lock is taken in ext4_buffered_write_iter for every waiter ("? " guesses between frames are not callers).
  assert.match(f.explanation, /wait for a lock \(ext4_buffered_write_iter\)/);
  assert.match(f.explanation, /likely convoy, not a proven one/);
  assert.match(evidenceText(f), /reclaim_throttle\+0x29a\/0x2e0/);
});

// cgroup v1 (legacy memcg reclaim waits for writeback itself): 8 dd writing one ext4 file in a 32 MiB
// v1 cgroup, disk writes throttled to 512 KiB/s. dd 119 sleeps in io_schedule ← folio_wait_bit_common ←
// folio_wait_writeback ← shrink_folio_list: an IO frame inside reclaim, so a memory wait.
test('v1: the holder waits on writeback inside memcg reclaim: a memory wait, the convoy is named', async () => {
  const f = await only(lockConvoy, ['qemu-6.1-memcg-v1-sysrq-w-inode-lock-convoy-writeback.log']);
  assert.equal(f.title, '7 blocked tasks wait on locks while dd (pid 119) is stuck allocating memory');
  assert.match(evidenceText(f), /shrink_folio_list\+0x6cd\/0xb60/);
});
