import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HungTaskIncident, KernelErrorIncident, PageAllocFailureIncident, SysrqIncident } from '../../../src/model/kernel-incidents.js';
import { analyze } from '../../../src/index.js';
import { analyzeFixtures, readFixture, seedPath } from '../../helpers.js';

test('seed 000 page allocation failure: order, gfp, pid, nvidia_uvm frames', async () => {
  const a = await analyzeFixtures(['seed000-4.15-page-alloc-failure.log']);
  const f = a.incidents[0] as PageAllocFailureIncident;
  assert.equal(f.kind, 'page_alloc_failure');
  assert.deepEqual([f.comm, f.pid, f.order, f.gfpMask, f.nodemask], ['worker-thread-2', 56407, 2, '0x14050c0', '0']);
  assert.deepEqual(f.gfpFlags, ['GFP_KERNEL', '__GFP_NORETRY', '__GFP_COMP']);
  assert.deepEqual(f.kernel, { version: '4.15.0-184-generic', taint: 'P W OE' });
  assert.ok(f.callTrace.filter((x) => x.module === 'nvidia_uvm').length >= 8);
  assert.equal(f.memInfoReport, null, 'its Mem-Info is in another block of the seed');
});

function assertMemInfoAttached(x: Awaited<ReturnType<typeof analyze>>): void {
  const f = x.incidents.find((i): i is PageAllocFailureIncident => i.kind === 'page_alloc_failure')!;
  const normal = f.zones.find((z) => z.zone === 'Normal')!;
  assert.deepEqual([normal.freeKb, normal.minKb, normal.lowKb, normal.belowMin], [1044152, 1042948, 14181860, false]);
  assert.deepEqual(normal.buddy?.counts, [21040, 1267, 80, 1673, 6881, 2241, 395, 102, 12, 0, 0]);
  assert.equal(f.memInfo?.freePages, 7038246);
  assert.equal(f.memInfoReport?.ramPages, 268400027);
  assert.ok(!x.incidents.some((i) => i.kind === 'show_mem'), 'the Mem-Info is not also a separate incident');
}

test('seed 000: the Mem-Info printed apart is attached to the failure (the two fixtures in order)', async () => {
  const a = await analyzeFixtures(['seed000-4.15-page-alloc-failure.log']);
  assert.equal(a.incidents.length, 1);
  assertMemInfoAttached(await analyze([{ name: 'both.log', text: ['seed000-4.15-page-alloc-failure.log', 'seed000-4.15-meminfo-after-failure.log'].map((n) => readFixture(n)).join('') }], { rules: [] }));
});

test('seed 000: the Mem-Info printed apart is attached to the failure (the whole seed, prose between them)', { skip: seedPath('000') ? false : 'the seeds are not beside the repo (../shared/seeds)' }, async () => {
  assertMemInfoAttached(await analyze([{ path: seedPath('000')! }], { rules: [] }));
});

test('hung tasks: 4.15 (seed 000) and 6.18 (this machine, FUSE) spellings', async () => {
  const [h] = (await analyzeFixtures(['seed000-4.15-hung-task.log'])).incidents as HungTaskIncident[];
  assert.deepEqual([h.comm, h.pid, h.seconds, h.state, h.time], ['lotus-seal-work', 2651, 120, 'D', '2022-06-11T10:05:57']);
  assert.deepEqual(h.kernel, { version: '4.15.0-184-generic', taint: 'P OE' });
  const host = (await analyzeFixtures(['host-6.18-hung-task-fuse.dmesg.log'])).incidents.filter((i): i is HungTaskIncident => i.kind === 'hung_task');
  assert.deepEqual(host.map((x) => [x.comm, x.pid, x.seconds, x.state]), [['stat', 3456, 10, 'D'], ['stat', 3456, 20, 'D']]);
  assert.ok(host[0].callTrace.some((f) => f.fn === 'request_wait_answer'));
  assert.deepEqual(host[0].kernel, { version: '6.18.44-fc-v782', taint: null });
});

test('seed 000 WARNING: location, function, tainted modules, IRQ frames from nvme', async () => {
  const [w] = (await analyzeFixtures(['seed000-4.15-warning-nvme.log'])).incidents as KernelErrorIncident[];
  assert.equal(w.kind, 'warning');
  assert.equal(w.function, 'mod_timer');
  assert.equal(w.location, '/build/linux-dJz1Tt/linux-4.15.0/kernel/time/timer.c:898');
  assert.deepEqual([w.comm, w.pid], ['lotus-seal-work', 7755]);
  assert.deepEqual(w.modules?.filter((m) => m.flags).map((m) => `${m.name}(${m.flags})`), ['nvidia_drm(POE)', 'nvidia_modeset(POE)', 'nvidia(POE)']);
  assert.ok(w.modules?.some((m) => m.name === 'i2c_piix4'), 'the continuation line of the module list is read');
  assert.equal(w.irqFrames, 15);
  assert.deepEqual(w.callTrace.filter((f) => f.module === 'nvme').map((f) => f.fn), ['nvme_pci_complete_rq', 'nvme_process_cq', 'nvme_irq']);
});

test('seed 002 sysrq l (ARM): kswapd0 on CPU 0 in shrink_page_list; sysrq w: every blocked task in filemap_fault', async () => {
  const [l] = (await analyzeFixtures(['seed002-4.9-sysrq-l-arm.log'])).incidents as SysrqIncident[];
  assert.equal(l.kind, 'sysrq_backtrace');
  const k = l.tasks.find((t) => t.comm === 'kswapd0')!;
  assert.deepEqual([k.pid, k.cpu, k.pc], [31, 0, 'shrink_page_list']);
  assert.ok(['shrink_inactive_list', 'shrink_node', 'kswapd'].every((fn) => k.frames.some((f) => f.fn === fn)));
  const [w] = (await analyzeFixtures(['seed002-4.9-sysrq-w-arm.log'])).incidents as SysrqIncident[];
  assert.equal(w.kind, 'sysrq_blocked');
  assert.deepEqual(w.tasks.map((t) => [t.comm, t.pid, t.state]), [['logd', 493, 'D'], ['app', 2469, 'D'], ['app', 2495, 'D'], ['videocapture', 3242, 'D'], ['tracker', 3258, 'D']]);
  assert.ok(w.tasks.every((t) => t.frames.some((f) => f.fn === 'filemap_fault')));
});
