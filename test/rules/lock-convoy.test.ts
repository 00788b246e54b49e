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
