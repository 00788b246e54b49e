import { test } from 'node:test';
import { lockup } from '../../../../src/parse/kernel/lockup/kind.js';
import { checkKind } from '../kind-case.js';

test('lockup: a soft lockup of 6.1, and the same report after a wall broadcast of its first line', async () => {
  // "watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [insmod:90]"
  await checkKind(lockup, [
    { fixture: 'qemu-6.1-soft-lockup.log', line: 5, incidentKind: 'soft_lockup', summary: [/CPU#0/, /26 s/, /insmod \(pid 90\)/], details: [/test_wait \[test_lockup\]/] },
    { fixture: 'qemu-6.1-copies-wall-console.log', line: 13, incidentKind: 'soft_lockup', summary: [/CPU#0/, /26 s/, /insmod \(pid 109\)/], details: [/do_init_module/] },
  ]);
});
