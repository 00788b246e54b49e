import { test } from 'node:test';
import { panic } from '../../../../src/parse/kernel/panic/kind.js';
import { checkKind } from '../kind-case.js';

test('panic: sysrq c on 6.1 (panic() called directly: no Oops before it)', async () => {
  // line 2 "Kernel panic - not syncing: sysrq triggered crash", line 3 "CPU: 1 PID: 1 Comm: init Not tainted"
  await checkKind(panic, [{ fixture: 'qemu-6.1-panic-sysrq-c.log', line: 2, incidentKind: 'panic',
    summary: [/sysrq triggered crash/, /init pid 1/], details: [/not tainted/, /sysrq_handle_crash/] }]);
});
