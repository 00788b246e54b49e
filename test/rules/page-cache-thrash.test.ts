import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageCacheThrash } from '../../src/rules/page-cache-thrash.js';
import { available, evidenceText, only, runRule } from './run-rule.js';

const SEED002 = ['seed002-4.9-top-busybox-abnormal.txt', 'seed002-4.9-mpstat.txt', 'seed002-4.9-iostat-x.txt', 'seed002-4.9-pidstat-d.txt', 'seed002-4.9-pidstat-u.txt', 'seed002-4.9-sysrq-l-arm.log', 'seed002-4.9-sysrq-w-arm.log', 'seed002-4.9-top-busybox-normal.txt'];

// Seed 002: kswapd at 298.38 %, every blocked task in filemap_fault, 80 % iowait, mmcblk0 reading, cache 121764K → 5136K.
for (const inputs of [SEED002, ['seed:002']]) {
  test(`fires on ${inputs.length > 1 ? 'seed 002 fixtures' : inputs[0]}: thrash, not a disk problem`, { skip: !available(inputs) && 'no seeds' }, async () => {
    const f = await only(pageCacheThrash, inputs);
    assert.equal(f.severity, 'critical');
    const d = f.data as Record<string, unknown>;
    assert.deepEqual([d.kswapdCpuPercent, d.tasksInFilemapFault, d.blockedTasks, d.topIowaitPercent, d.mpstatIowaitPercent, d.device, d.readKbPerSec, d.cachedBeforeKb, d.cachedAfterKb],
      [298.38, 5, 5, 83, 81.29, 'mmcblk0', 46352.94, 121764, 5136]);
    for (const s of ['not a disk problem', 'The OOM killer may never come', 'Every blocked task (5) is waiting in filemap_fault', 'logd 493, app 2469, app 2495, videocapture 3242, tracker 3258', 'pidstat -d listed no process doing file IO', 'shrink_page_list ← shrink_node']) {
      assert.ok(f.explanation.includes(s), s);
    }
    assert.ok(f.advice?.some((a) => a.includes('earlyoom')) && f.advice.some((a) => a.includes('prelockd')) && f.advice.some((a) => a.includes('cgroup limits')));
    assert.match(evidenceText(f), /16:28:05\s+0\s+31\s+0\.00\s+298\.38 .* kswapd0/);
    assert.match(evidenceText(f), /\(filemap_fault\) from .*\(ext4_filemap_fault/);
    assert.match(evidenceText(f), /PC is at shrink_page_list\+0x94\/0xc18/);
    assert.match(evidenceText(f), /Mem: 621420K used, 40336K free, 1448K shrd, 116K buff, 5136K cached/);
  });
}

// Seed 001: MemAvailable 16240 kB, and kubelet (1.778 %) and containerd (2.111 %) evicted from the page cache.
for (const inputs of [['seed001-5.10-meminfo.txt', 'seed001-5.10-pagecache-residency.txt'], ['seed:001']]) {
  test(`fires on ${inputs.join(' + ')}: critical binaries evicted`, { skip: !available(inputs) && 'no seeds' }, async () => {
    const f = await only(pageCacheThrash, inputs);
    assert.equal(f.severity, 'critical');
    const d = f.data as Record<string, unknown>;
    assert.equal(d.memAvailableKb, 16240);
    assert.deepEqual((d.evicted as { path: string; percent: number }[]).slice(0, 2), [{ path: '/usr/bin/kubelet', percent: 1.778 }, { path: '/usr/bin/containerd', percent: 2.111 }]);
    assert.ok(f.explanation.includes('kubelet 1.778 % cached (820 of 46121 pages), containerd 2.111 % cached (274 of 12982 pages)'));
    assert.match(evidenceText(f), /\/usr\/bin\/kubelet\s+\| 188908296/);
    assert.match(evidenceText(f), /MemAvailable:\s+16240 kB/);
  });
}

test('the abnormal top screen alone (83 % io, 5136K cached, 40336K free) is a warning', async () => {
  const f = await only(pageCacheThrash, ['seed002-4.9-top-busybox-abnormal.txt']);
  assert.equal(f.severity, 'warning');
});

// Each half alone is not thrash: pressure without IO, IO without pressure, a memcg OOM, an idle host.
const silent = [
  ['seed001-5.10-meminfo.txt'], ['seed001-5.10-pagecache-residency.txt'], ['seed002-4.9-pidstat-u.txt'], ['seed002-4.9-iostat-x.txt', 'seed002-4.9-pidstat-d.txt'],
  ['host-6.18-memcg-v1-oom.dmesg.log'], ['host-6.18-memcg-v1-oom-multi.dmesg.log'],
  ['host-6.18-top-procps.txt', 'host-6.18-top-procps-under-pressure.txt', 'host-6.18-meminfo-under-pressure.txt'],
  ['host-6.18-meminfo.txt', 'host-6.18-vmtouch-v.txt', 'host-6.18-mpstat.txt', 'host-6.18-iostat-x.txt', 'host-6.18-pidstat-u.txt'],
  ['seed:003'], ['seed:004'],
];
for (const inputs of silent) {
  test(`silent on ${inputs.join(' + ')}`, { skip: !available(inputs) && 'no seeds' }, async () => {
    assert.deepEqual((await runRule(pageCacheThrash, inputs)).findings, []);
  });
}
