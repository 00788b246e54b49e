import { test } from 'node:test';
import { rcu } from '../../../../src/parse/kernel/rcu/kind.js';
import { checkKind } from '../kind-case.js';

test('rcu: a self-detected rcu_preempt stall on CPU 0', async () => {
  // line 5 "rcu: INFO: rcu_preempt self-detected stall on CPU", line 6 "rcu: \t0-....: (5166 ticks this GP)"
  await checkKind(rcu, [{ fixture: 'qemu-6.1-rcu-stall-self-detected.log', line: 5, incidentKind: 'rcu_stall',
    summary: [/rcu_preempt/, /CPU 0/], details: [/tainted G OE/] }]);
});
