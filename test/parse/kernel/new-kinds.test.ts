import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KernelErrorIncident, OomKillIncident, PageAllocFailureIncident, RcuStallIncident } from '../../../src/model/kernel-incidents.js';
import { analyzeFixtures } from '../../helpers.js';

// Report kinds issue 9 added; fixtures from Debian 6.1 under qemu (test/fixtures/README.md, "Issue 9").

test('expedited RCU stall: its own incident (not swallowed by the stall before it), flavor and CPUs from its head line', async () => {
  const a = await analyzeFixtures(['qemu-6.1-prefix-dmesg.log']);
  const stalls = a.incidents.filter((i): i is RcuStallIncident => i.kind === 'rcu_stall');
  // 37.978234 "rcu_preempt self-detected stall on CPU", 40.110725 "rcu_preempt detected expedited stalls on CPUs/tasks: { 0-.... }"
  assert.deepEqual(stalls.map((s) => [s.uptimeSec, s.flavor, s.expedited, s.cpus]), [
    [37.978234, 'rcu_preempt', false, [0]], [40.110725, 'rcu_preempt', true, [0]]]);
  // CPU 0's NMI backtrace belongs to the expedited stall that asked for it.
  assert.ok(stalls[1].callTrace.some((f) => f.fn === 'reader_fn' && f.module === 'mt9'));
  assert.equal(stalls[1].kernel.version, '6.1.0-53-amd64');
});

test('manual OOM (sysrq f): an OOM kill flagged manual; a real one is not', async () => {
  const a = await analyzeFixtures(['qemu-6.1-prefix-dmesg.log', 'qemu-6.1-global-oom.log']);
  const o = a.incidents.filter((i): i is OomKillIncident => i.kind === 'oom_kill');
  assert.deepEqual(o.map((i) => [i.trigger.comm, i.trigger.order, i.manual]), [
    ['kworker/0:1', -1, true], ['hog', 0, false], ['hog', 0, false]]);
});

test('vmalloc error: an allocation failure with its size, reason, gfp mask, task and Mem-Info', async () => {
  const a = await analyzeFixtures(['qemu-6.1-vmalloc-error-exceeds-total.log']);
  assert.equal(a.incidents.length, 1);
  const v = a.incidents[0] as PageAllocFailureIncident;
  assert.equal(v.kind, 'page_alloc_failure');
  // "insmod: vmalloc error: size 2147483648, exceeds total pages, mode:0xcc0(GFP_KERNEL), nodemask=(null),…"
  assert.deepEqual([v.variant, v.comm, v.pid, v.sizeBytes, v.reason, v.gfpMask, v.gfpFlags, v.nodemask, v.order],
    ['vmalloc error', 'insmod', 102, 2147483648, 'exceeds total pages', '0xcc0', ['GFP_KERNEL'], '(null)', null]);
  assert.deepEqual(v.zones.map((z) => [z.zone, z.freeKb]), [['DMA', 15232], ['DMA32', 401084]]);
  assert.equal(v.kernel.taint, 'G OE');
  assert.ok(v.callTrace.some((f) => f.fn === '__vmalloc_node_range'));
});

test('arm64 "Internal error: Oops - BUG" after "kernel BUG at": a bug, with its location and pc function; the WARNING after it stays apart', async () => {
  const a = await analyzeFixtures(['qemu-6.1-arm64-bug-then-warning.log']);
  const [bug, warn] = a.incidents as KernelErrorIncident[];
  assert.deepEqual([bug.kind, bug.location, bug.function, bug.comm, bug.pid, bug.kernel.taint], ['bug', '/tmp/qemu-9/moda/mt9.c:43', 'mt9_init', 'insmod', 88, 'G OE']);
  assert.deepEqual(bug.modules, [{ name: 'mt9', flags: 'OE+' }]);
  assert.equal(bug.callTrace[0].fn, 'mt9_init');
  // The user-space "Segmentation fault" printed in the middle of the WARNING does not split it.
  assert.deepEqual([warn.kind, warn.location, warn.comm, warn.pid, warn.kernel.taint, warn.partial], ['warning', 'kernel/context_tracking.c:128', 'swapper/1', 0, 'G D OE', false]);
  assert.equal(a.incidents.length, 2);
});
