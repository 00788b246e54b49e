import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KernelIncident, OomKillIncident } from '../../../src/model/kernel-incidents.js';
import { analyzeFixtures } from '../../helpers.js';

// Real reports from Debian kernels booted under qemu (test/fixtures/README.md says how). The
// expected facts are the ones recorded in that README, read off the raw console output.
const incidents = async (f: string): Promise<KernelIncident[]> => (await analyzeFixtures([f])).incidents as KernelIncident[];
const oom = async (f: string): Promise<OomKillIncident> => {
  const o = (await incidents(f)).find((i): i is OomKillIncident => i.kind === 'oom_kill');
  assert.ok(o, `${f}: an OOM kill`);
  return o;
};

const GLOBAL: [string, string, number, number, string][] = [
  // file, kernel, victim pid, anon-rss kB, zone below min
  ['qemu-5.10-global-oom.log', '5.10.0-46-amd64', 83, 195824, 'DMA32'],
  ['qemu-6.1-global-oom.log', '6.1.0-53-amd64', 95, 315948, 'DMA32'],
  ['qemu-6.1-global-oom-4g.dmesg.log', '6.1.0-53-amd64', 97, 3629412, 'Normal'],
  ['qemu-6.12-global-oom.dmesg-T.log', '6.12.95+deb12-amd64', 145, 195328, 'DMA32'],
  ['qemu-6.1-arm64-global-oom.log', '6.1.0-53-arm64', 92, 345540, 'DMA'],
];
for (const [file, version, pid, anon, zone] of GLOBAL) {
  test(`global OOM ${version}: ${file}`, async () => {
    const o = await oom(file);
    assert.deepEqual([o.kernel.version, o.victim.pid, o.victim.anonRssKb, o.constraint, o.partial], [version, pid, anon, 'CONSTRAINT_NONE', false]);
    assert.ok(o.zones.some((z) => z.zone === zone && z.belowMin), `${zone} below min`);
    assert.equal(o.pageSizeKb, 4);
    assert.ok((o.processTable?.rows ?? 0) >= 4);
    assert.ok(o.memInfoReport?.ramPages != null && o.memInfo?.freePages != null);
  });
}

test('6.1 x86: the exact zone and trigger numbers', async () => {
  const o = await oom('qemu-6.1-global-oom.dmesg.log');
  const dma32 = o.zones.find((z) => z.zone === 'DMA32')!;
  assert.deepEqual([dma32.freeKb, dma32.minKb, o.trigger.gfpMask, o.trigger.order, o.victim.comm], [2352, 2608, '0x140dca', 0, 'hog']);
  const big = await oom('qemu-6.1-global-oom-4g.log');
  const normal = big.zones.find((z) => z.zone === 'Normal')!;
  assert.deepEqual([normal.freeKb, normal.minKb], [15348, 15588]);
});

const MEMCG_V2: [string, number, number][] = [
  // file, victim pid, usage kB (the limit is 32768 kB in each)
  ['qemu-5.10-memcg-v2-oom.dmesg.log', 84, 32680], ['qemu-6.1-memcg-v2-oom.dmesg-T.log', 96, 32768],
  ['qemu-6.12-memcg-v2-oom.log', 142, 32768], ['qemu-6.1-arm64-memcg-v2-oom.busybox-dmesg.log', 93, 32768],
];
for (const [file, pid, usage] of MEMCG_V2) {
  test(`cgroup v2 OOM: ${file}`, async () => {
    const o = await oom(file);
    assert.deepEqual([o.victim.pid, o.constraint, o.cgroupOom], [pid, 'CONSTRAINT_MEMCG', true]);
    const mem = o.memcgInfo?.counters.find((c) => c.name === 'memory');
    assert.deepEqual([mem?.usageKb, mem?.limitKb], [usage, 32768]);
    assert.ok(Object.keys(o.memcgInfo?.stats ?? {}).length > 20, 'the memory.stat dump is read');
  });
}

test('6.1 cgroup v2: failcnt and victim size', async () => {
  const o = await oom('qemu-6.1-memcg-v2-oom.dmesg.log');
  assert.deepEqual([o.memcgInfo?.counters[0].failcnt, o.victim.anonRssKb], [71, 24228]);
});

test('order-9 GFP_ATOMIC failures: 0xa20 on 5.10/6.1, 0x820 on 6.12', async () => {
  for (const [v, mask] of [['5.10', '0xa20'], ['6.1', '0xa20'], ['6.12', '0x820']]) {
    const f = (await incidents(`qemu-${v}-page-alloc-failure-order9-atomic.log`)).find((i) => i.kind === 'page_alloc_failure');
    assert.ok(f?.kind === 'page_alloc_failure');
    assert.deepEqual([f.order, f.gfpMask, f.gfpFlags?.[0]], [9, mask, 'GFP_ATOMIC']);
    assert.ok(f.zones.length >= 2, `${v}: its Mem-Info`);
  }
});

test('soft lockups and RCU stalls', async () => {
  const soft = async (f: string) => (await incidents(f)).find((i) => i.kind === 'soft_lockup');
  const s61 = await soft('qemu-6.1-soft-lockup.log');
  assert.ok(s61?.kind === 'soft_lockup');
  assert.deepEqual([s61.cpu, s61.seconds, s61.comm, s61.pid], [0, 26, 'insmod', 90]);
  const s612 = await soft('qemu-6.12-soft-lockup.dmesg.log');
  assert.ok(s612?.kind === 'soft_lockup');
  assert.deepEqual([s612.cpu, s612.seconds, s612.pid], [1, 26, 139]);
  const both = await incidents('qemu-5.10-rcu-stall-then-soft-lockup.log');
  assert.deepEqual(both.map((i) => i.kind), ['rcu_stall', 'soft_lockup']);
  for (const [v, cpu] of [['5.10', 0], ['6.1', 0], ['6.12', 1]] as const) {
    const r = (await incidents(`qemu-${v}-rcu-stall-self-detected.log`)).find((i) => i.kind === 'rcu_stall');
    assert.ok(r?.kind === 'rcu_stall');
    assert.ok(r.cpus.includes(cpu), `${v}: stall on CPU ${cpu}, got ${r.cpus}`);
  }
});

test('hung tasks on every kernel: a 10 s then a 20 s report', async () => {
  for (const f of ['qemu-5.10-hung-task.log', 'qemu-6.1-hung-task.dmesg-T.log', 'qemu-6.12-hung-task.log', 'qemu-6.1-arm64-hung-task.log']) {
    const h = (await incidents(f)).filter((i) => i.kind === 'hung_task');
    assert.deepEqual(h.map((x) => (x.kind === 'hung_task' ? [x.seconds, x.state] : null)), [[10, 'D'], [20, 'D']], f);
  }
});

test('Oops, WARNING then BUG, panics', async () => {
  const [oops] = await incidents('qemu-6.1-oops-null-deref.log');
  assert.ok(oops.kind === 'oops');
  assert.deepEqual([oops.function, oops.pid, oops.kernel.taint], ['lkdtm_EXCEPTION', 92, 'G OE']);
  assert.deepEqual((await incidents('qemu-6.1-warning-and-bug.dmesg.log')).map((i) => i.kind), ['warning', 'bug']);
  assert.deepEqual((await incidents('qemu-6.1-oops-panic-on-oops.log')).map((i) => i.kind), ['oops', 'panic']);
  for (const v of ['5.10', '6.1', '6.12', '6.1-arm64']) {
    const p = await incidents(`qemu-${v}-panic-sysrq-c.log`);
    assert.deepEqual(p.map((i) => (i.kind === 'panic' ? i.message : i.kind)), ['Kernel panic - not syncing: sysrq triggered crash'], v);
  }
  const pom = await incidents('qemu-6.1-oom-panic-on-oom.log');
  assert.deepEqual(pom.map((i) => i.kind), ['oom_kill', 'panic']);
  assert.equal((pom[0] as OomKillIncident).outcome, 'panic');
});

test('sysrq l on x86 and arm64: the busy CPU\'s stack, the idle CPU named', async () => {
  for (const f of ['qemu-6.1-sysrq-l.log', 'qemu-6.1-arm64-sysrq-l.log']) {
    const [s] = await incidents(f);
    assert.ok(s.kind === 'sysrq_backtrace');
    assert.deepEqual(s.tasks.map((t) => [t.cpu, t.state]), [[1, 'R'], [0, 'I']], f);
    assert.ok(s.tasks[0].frames.some((f2) => /write_sysrq_trigger/.test(f2.fn)));
  }
});
