import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze, type Analysis } from '../../src/index.js';
import type { Finding } from '../../src/model/finding.js';
import type { KernelIncident } from '../../src/model/kernel-incidents.js';
import { seedPath } from '../helpers.js';

// shared/docs/seed-cases.md: what memtriage must conclude from each whole seed file, by itself.
async function seed(n: string): Promise<Analysis | null> {
  const p = seedPath(n);
  return p ? analyze([{ path: p }]) : null;
}
const skip = seedPath('000') ? false : 'the seeds are not beside the repo (../shared/seeds)';
const finding = (a: Analysis, rule: string): Finding => {
  const f = a.findings.find((x) => x.rule === rule);
  assert.ok(f, `finding ${rule} in ${a.findings.map((x) => x.rule).join(', ')}`);
  return f;
};
const data = (f: Finding): Record<string, any> => f.data as Record<string, any>;
const kernel = (a: Analysis): KernelIncident[] => a.incidents as KernelIncident[];

test('000: taint P OE → P W OE with nvidia modules; nvme IRQ WARNING; hung task; the OOM kill; the NORETRY failure at min', { skip }, async () => {
  const a = (await seed('000'))!;
  assert.deepEqual(data(finding(a, 'taint')).taints, ['P OE', 'P W OE']);
  assert.deepEqual(data(finding(a, 'taint')).taintedModules.map((m: { name: string }) => m.name), ['nvidia_drm', 'nvidia_modeset', 'nvidia']);
  const w = data(finding(a, 'driver-warning'));
  assert.deepEqual([w.drivers, w.irqContext, w.function], [['nvme'], true, 'mod_timer']);
  assert.deepEqual([data(finding(a, 'hung-task')).comm, data(finding(a, 'hung-task')).pid, data(finding(a, 'hung-task')).blockedSec], ['lotus-seal-work', 2651, 120]);
  const kill = kernel(a).find((i) => i.kind === 'oom_kill');
  assert.ok(kill?.kind === 'oom_kill');
  assert.deepEqual([kill.victim.comm, kill.victim.pid, kill.victim.anonRssKb, kill.time], ['lotus-seal-work', 58870, 201982792, '2022-06-12T03:24:24']);
  const z = data(finding(a, 'zone-below-min'));
  assert.deepEqual([z.zone, z.level, z.freeKb, z.minKb, z.order], ['Normal', 'at-min', 1044152, 1042948, 2]);
  assert.match(finding(a, 'zone-below-min').explanation, /947680 kB/);
  assert.ok(!a.findings.some((f) => f.rule === 'fragmentation'), 'the watermark decided, not fragmentation');
  const n = data(finding(a, 'alloc-failure-noretry'));
  assert.deepEqual([n.driver, n.reclaimedHard, n.oomKillerCalled], ['nvidia_uvm', false, false]);
});

test('001: 33.8 GiB held by no counter; nvidia_pte_cache matches it; MemAvailable 16 MiB and kubelet evicted', { skip }, async () => {
  const a = (await seed('001'))!;
  const u = data(finding(a, 'unaccounted-memory'));
  assert.deepEqual([u.totalKb, u.accountedKb, u.unaccountedKb], [63596320, 28182680, 35413640]);
  const d = data(finding(a, 'driver-suspect'));
  assert.deepEqual([d.driver, d.match, d.slabCaches[0].objects, d.estimateKb], ['nvidia', 'strong', 8650926, 8650926 * 4]);
  const t = finding(a, 'page-cache-thrash');
  const evicted = data(t).evicted as { path: string; percent: number }[];
  assert.deepEqual(evicted.filter((e) => /kubelet|containerd$/.test(e.path)).map((e) => e.percent), [1.778, 2.111]);
  assert.match(t.explanation, /16240 kB/);
  assert.ok((t.advice ?? []).some((x) => /earlyoom|oomd/.test(x)) && (t.advice ?? []).some((x) => /mlock|lock/.test(x)) && (t.advice ?? []).some((x) => /cgroup/.test(x)));
  assert.match(a.verdict ?? '', /nvidia/);
});

test('002: kswapd at 298 %, every blocked task in filemap_fault, cache collapsed, logd grew: thrashing, not the disk', { skip }, async () => {
  const a = (await seed('002'))!;
  const t = data(finding(a, 'page-cache-thrash'));
  assert.deepEqual([t.kswapdCpuPercent, t.blockedTasks, t.tasksInFilemapFault, t.cachedBeforeKb, t.cachedAfterKb], [298.38, 5, 5, 121764, 5136]);
  assert.ok(t.mpstatIowaitPercent >= 78 && t.topIowaitPercent === 83);
  const g = data(finding(a, 'process-growth'));
  assert.deepEqual([g.command, g.fromKb, g.toKb], ['/sbin/logd -S 64', 2408, 292 * 1024]);
  assert.match(a.verdict ?? '', /logd/);
});

test('003: folded report read; DMA32 below min at order 0 so not fragmentation; ~376 MiB held by the balloon', { skip }, async () => {
  const a = (await seed('003'))!;
  const kill = kernel(a).find((i) => i.kind === 'oom_kill');
  assert.ok(kill?.kind === 'oom_kill');
  assert.deepEqual([kill.trigger.comm, kill.trigger.pid, kill.trigger.order, kill.victim.pid, kill.victim.anonRssKb], ['tor', 1439, 0, 1439, 374956]);
  assert.deepEqual([kill.processTable?.rows, kill.processTable?.sumRssPages], [14, 135917]);
  const z = finding(a, 'zone-below-min');
  assert.deepEqual([data(z).zone, data(z).freeKb, data(z).minKb], ['DMA32', 44288, 44336]);
  assert.match(z.explanation, /fragmentation cannot be the cause/);
  assert.ok(!a.findings.some((f) => f.rule === 'fragmentation'));
  const u = data(finding(a, 'unaccounted-memory'));
  assert.equal(u.totalKb, 255090 * 4);
  assert.ok(Math.abs(u.unaccountedKb / 1024 - 376) < 1, `${u.unaccountedKb} kB`);
  assert.equal(data(finding(a, 'driver-suspect')).driver, 'virtio_balloon');
});

test('004: 80.6 MB free, 222 % committed; 749 waiters on a mutex owned by ps stuck allocating; -998 unkillable; min_free_kbytes ~1 %', { skip }, async () => {
  const a = (await seed('004'))!;
  const kmem = a.incidents.find((i) => i.kind === 'crash_kmem');
  assert.ok(kmem?.kind === 'crash_kmem');
  assert.deepEqual([kmem.freePages, kmem.totalMemPages, kmem.committedPercentOfLimit], [20622, 4042945, 222]);
  const c = data(finding(a, 'lock-convoy'));
  assert.deepEqual([c.ownerPid, c.ownerComm, c.ownerWait, c.waiters, c.unTasks, c.lockTakenIn], [24156, 'ps', 'wait_iff_congested', 749, 760, 'lookup_slow']);
  assert.ok(a.findings.some((f) => f.rule === 'unkillable-task' && (data(f).tasks ?? []).some((t: { oomScoreAdj: number }) => t.oomScoreAdj === -998)));
  const m = data(finding(a, 'min-free-kbytes'));
  assert.ok(Math.abs(m.suggestedMinFreeKb - m.totalKb / 100) < 1);
  assert.equal(data(finding(a, 'overcommit')).committedPercentOfLimit, 222);
});
