import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountMeminfo, type Accounting } from '../../src/accounting/index.js';
import type { Incident } from '../../src/model/incident.js';
import type { MeminfoSnapshotIncident } from '../../src/model/snapshot-incidents.js';
import { driverSuspect } from '../../src/rules/driver-suspect.js';
import { unaccountedMemory } from '../../src/rules/unaccounted-memory.js';
import { accountingOf } from '../../src/rules/util/unaccounted.js';
import { analyzeText, readFixture } from '../helpers.js';

/** Each incident's accounting (accountingOf), in input order, those without one left out. */
const accountings = (incidents: readonly Incident[]): Accounting[] =>
  incidents.map((inc) => accountingOf(inc, incidents)).filter((a): a is Accounting => a != null);

// Partial inputs are made by leaving whole lines of a real capture out (a paste cut short, or
// lines skipped by whoever pasted them); no line is edited.
const lines = (name: string) => readFixture(name).split('\n');
const without = (name: string, drop: RegExp) => lines(name).filter((l) => !drop.test(l)).join('\n');
const firstLines = (name: string, n: number) => lines(name).slice(0, n).join('\n') + '\n';
const meminfoOf = async (text: string) => {
  const a = await analyzeText(text, [unaccountedMemory, driverSuspect], 'meminfo.txt');
  const m = a.incidents.find((i): i is MeminfoSnapshotIncident => i.kind === 'meminfo_snapshot')!;
  return { a, m, acc: accountMeminfo(m.counters) };
};

test('seed 001 meminfo cut after Mapped: no remainder, the missing counters named, "cannot tell"', async () => {
  const { a, acc } = await meminfoOf(firstLines('seed001-5.10-meminfo.txt', 20));
  assert.equal(acc.unaccountedKb, null);
  assert.deepEqual(acc.missing, ['PageTables', 'VmallocUsed', 'Slab', 'HugePages_Total/Hugepagesize', 'KernelStack']);
  assert.deepEqual(a.findings.map((f) => [f.rule, f.severity]), [['unaccounted-memory', 'info']]);
  const f = a.findings[0];
  assert.match(f.title, /^Cannot tell/);
  assert.match(f.explanation, /lacks PageTables, VmallocUsed, Slab, HugePages_Total\/Hugepagesize, KernelStack/);
  assert.match(f.explanation, /cat \/proc\/meminfo/);
  assert.equal((f.data as { unaccountedKb: unknown }).unaccountedKb, null);
});

test('host meminfo pasted without its HugePages lines: a pool could hide there, so no remainder', async () => {
  const { a, acc } = await meminfoOf(without('host-6.18-meminfo.txt', /^(HugePages_|Hugepagesize|Hugetlb)/));
  assert.deepEqual(acc.missing, ['HugePages_Total/Hugepagesize']);
  assert.equal(acc.unaccountedKb, null);
  assert.ok(!a.findings.some((f) => f.severity !== 'info'));
});

test('a 4.20+ meminfo (KReclaimable present) without Percpu: Percpu is missing, not zero', async () => {
  const { acc } = await meminfoOf(without('host-6.18-meminfo.txt', /^Percpu:/));
  assert.deepEqual(acc.missing, ['Percpu']);
  assert.equal(acc.generation, '6.0');
});

test('the whole host meminfo: nothing missing, a remainder', async () => {
  const { acc } = await meminfoOf(readFixture('host-6.18-meminfo.txt'));
  assert.deepEqual(acc.missing, []);
  assert.equal(typeof acc.unaccountedKb, 'number');
  assert.deepEqual(acc.hugePools, [{ node: null, sizeKb: 2048, totalPages: 0, freePages: 0, reservedPages: 0, surplusPages: 0 }]);
});

test('an OOM report cut before its hugepages lines: no remainder; the whole report has one', async () => {
  const whole = readFixture('qemu-6.1-global-oom.log');
  const a = await analyzeText(whole, [unaccountedMemory]);
  const full = accountings(a.incidents)[0];
  assert.deepEqual(full.missing, []);
  assert.equal(typeof full.unaccountedKb, 'number');
  const cut = whole.split('\n');
  const at = cut.findIndex((l) => /hugepages_total=/.test(l));
  const b = await analyzeText(cut.slice(0, at).join('\n') + '\n', [unaccountedMemory]);
  const acc = accountings(b.incidents)[0];
  assert.equal(acc.unaccountedKb, null);
  // "pages RAM" is cut too, but every zone line (with managed:) is there: the total comes from them.
  assert.deepEqual(acc.missing, ['the "Node N hugepages_total=…" lines']);
  assert.equal(acc.totalSource, 'Σ zone managed');
  assert.deepEqual(b.findings.map((f) => f.severity), ['info']);
});

test('KernelStack inside VmallocUsed: measured, assumed by arch, or not (32-bit arm)', () => {
  const c = { kernelStackKb: 1000, vmallocUsedKb: 5000, percpuKb: 100 } as Record<string, number>;
  const vm = (x: Parameters<typeof accountMeminfo>[1]) => accountMeminfo(c, x).holders.find((h) => h.id === 'vmalloc')!.kb;
  assert.equal(vm({ vmapStackKb: 600 }), 4400);
  assert.equal(vm({ vmapStackKb: 0 }), 5000);
  assert.equal(vm({ arch: 'x64' }), 4000);
  assert.equal(vm({ arch: 'arm' }), 5000);
  assert.equal(vm({}), 4000);
  // Without Percpu (before 4.16) a non-zero VmallocUsed is a 2.6–4.3 kernel: no vmap stacks then.
  assert.equal(accountMeminfo({ kernelStackKb: 1000, vmallocUsedKb: 5000 }).holders.find((h) => h.id === 'vmalloc')!.kb, 5000);
});

// The wrong critical verdict of issue 7: a meminfo pasted without its HugePages lines read the
// reserved pool as memory held by no counter. Here a real 360 MiB pool (qemu 6.1, nr_hugepages=180).
test('a meminfo with a 360 MiB huge-page pool, pasted without the HugePages lines: no "held outside every counter"', async () => {
  const whole = await meminfoOf(readFixture('qemu-6.1-hugetlb-pool.meminfo.txt'));
  assert.ok(whole.acc.unaccountedKb != null && whole.acc.unaccountedKb < 0.1 * whole.acc.totalKb!, 'the whole file adds up');
  const { a, acc } = await meminfoOf(without('qemu-6.1-hugetlb-pool.meminfo.txt', /^(HugePages_|Hugepagesize|Hugetlb)/));
  assert.equal(acc.unaccountedKb, null);
  assert.deepEqual(a.findings.map((f) => [f.rule, f.severity]), [['unaccounted-memory', 'info']]);
  assert.match(a.findings[0].title, /^Cannot tell/);
});

test('a report\'s holders name what is inside them: task-table processes in anon, "Unreclaimable slab info" caches in slab', async () => {
  const a = await analyzeText(readFixture('qemu-6.1-slab-msgmsg-oom.log'), []);
  const acc = accountings(a.incidents)[0];
  const slab = acc.holders.find((h) => h.id === 'slab')!;
  assert.deepEqual(slab.inside?.[0], { name: 'kmalloc-cg-4k', kb: 416752 });
  assert.equal(slab.bytes, slab.kb * 1024);
  const b = await analyzeText(readFixture('qemu-6.1-leak-instances-oom.log'), []);
  const anon = accountings(b.incidents)[0].holders.find((h) => h.id === 'anon')!;
  assert.deepEqual(anon.inside?.[0], { name: 'pid 101 leaker', kb: 20344 * 4 });
});
