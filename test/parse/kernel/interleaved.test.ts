import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KernelErrorIncident, KernelIncident, SoftLockupIncident } from '../../../src/model/kernel-incidents.js';
import { analyzeFixtures } from '../../helpers.js';

// Real reports two CPUs printed at the same time (test/fixtures/README.md: a 6.1 kernel built with
// CONFIG_PRINTK_CALLER under qemu, and Debian's 6.1 without it).
const CALLER_FORMATS = ['log', 'busybox-dmesg.log', 'kmsg.log'];

for (const ext of CALLER_FORMATS) {
  test(`caller ids (${ext}): two interleaved WARNINGs come apart, each with its own task and stack`, async () => {
    const a = await analyzeFixtures([`qemu-6.1-caller-warning-interleaved.${ext}`]);
    const w = a.incidents as KernelErrorIncident[];
    assert.deepEqual(w.map((x) => [x.kind, x.pid, x.comm, x.function, x.partial]), [
      ['warning', 37, 'race2', 'lkdtm_WARNING', false], ['warning', 36, 'race2', 'lkdtm_WARNING', false]]);
    // lkdtm's direct_entry, reached by each task's own write(2): no frame of one task's stack in the other's.
    for (const x of w) assert.deepEqual(x.callTrace.map((f) => f.fn).slice(0, 3), ['direct_entry', 'full_proxy_write', 'vfs_write']);
    assert.deepEqual(a.problems, []);
  });

  test(`caller ids (${ext}): two soft lockups printed line by line at once`, async () => {
    const a = await analyzeFixtures([`qemu-6.1-caller-soft-lockup-interleaved.${ext}`]);
    const s = (a.incidents as KernelIncident[]).filter((x): x is SoftLockupIncident => x.kind === 'soft_lockup');
    assert.deepEqual(s.map((x) => [x.cpu, x.seconds, x.comm, x.pid, x.kernel.version]), [
      [0, 13, 'kworker/0:0H', 6, '6.1.192-callerid'], [1, 13, 'kworker/1:0H', 18, '6.1.192-callerid']]);
    // Each stack ends where a kernel thread starts, once: the RCU stall's NMI backtrace that CPU 1
    // printed afterwards belongs to the stall, not to CPU 1's lockup.
    for (const x of s) assert.deepEqual([x.callTrace[0].fn, x.callTrace.filter((f) => f.fn === 'ret_from_fork').length], ['test_wait', 1]);
    const rcu = (a.incidents as KernelIncident[]).find((x) => x.kind === 'rcu_stall');
    assert.ok(rcu?.kind === 'rcu_stall' && rcu.callTrace.some((f) => f.fn === 'test_lockup'), 'the NMI backtrace of the busy CPU is in the stall');
  });
}

test('without caller ids the mix cannot be undone: the incident says so', async () => {
  for (const f of ['qemu-6.1-caller-warning-interleaved.dmesg.log', 'qemu-6.1-interleaved-warning.log', 'qemu-6.1-interleaved-soft-lockup.dmesg.log']) {
    const a = await analyzeFixtures([f]);
    assert.ok(a.problems.some((p) => p.severity === 'warning' && /no printk caller ids/.test(p.message)), f);
  }
});

test('a single report from a caller-id kernel reads as usual', async () => {
  for (const f of ['qemu-6.1-caller-global-oom.log', 'qemu-6.1-caller-global-oom.kmsg.log', 'qemu-6.1-caller-global-oom.dmesg.log']) {
    const [o] = (await analyzeFixtures([f])).incidents as KernelIncident[];
    assert.ok(o.kind === 'oom_kill', f);
    // A kernel without NUMA prints "DMA32 free:…" with no "Node 0": still node 0's zone.
    assert.deepEqual([o.victim.pid, o.partial, o.zones.map((z) => [z.node, z.zone, z.freeKb, z.minKb, z.belowMin]), o.processTable?.rows], [37, false, [[0, 'DMA32', 1852, 1872, true]], 2], f);
  }
});
