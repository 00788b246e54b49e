import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CgroupPressureView, GuardView } from '../../src/guard/view.js';
import { GuardMetrics } from '../../src/metrics/guard-metrics.js';
import { createMetrics } from '../../src/metrics/registry.js';

function cg(cgroup: string, some10: number | null, over: Partial<CgroupPressureView> = {}): CgroupPressureView {
  return { cgroup, memSomeRatio1s: 0.5, memFullRatio1s: 0.25, memSomeRatio10s: some10, memFullRatio10s: 0.125, majorFaultsPerSec: 40, refaultsPerSec: 7, state: 'quiet', ...over };
}

function view(over: Partial<GuardView> = {}): GuardView {
  return { atMs: 1_700_000_000_500, mode: 'dry-run', cgroups: [cg('/', 0.1)], detectionsTotal: 0, actionsTotal: {}, lockedBytes: null, ...over };
}

/** Series lines of the exposition text, "name{labels} value". */
async function series(setup: (g: GuardMetrics) => void, max = 100): Promise<string[]> {
  const m = createMetrics();
  setup(new GuardMetrics(m, max));
  return (await m.registry.metrics()).split('\n').filter((l) => l && !l.startsWith('#'));
}

test('guard view → per-cgroup pressure, faults, refaults and one state set to 1', async () => {
  const s = await series((g) => g.observe(view({ cgroups: [cg('/kubepods/pod1', 0.75, { state: 'storm' })] })));
  assert.ok(s.includes('memtriage_cgroup_memory_pressure_ratio{cgroup="/kubepods/pod1",kind="some",window="10s"} 0.75'));
  assert.ok(s.includes('memtriage_cgroup_memory_pressure_ratio{cgroup="/kubepods/pod1",kind="full",window="1s"} 0.25'));
  assert.ok(s.includes('memtriage_cgroup_major_page_faults_per_second{cgroup="/kubepods/pod1"} 40'));
  assert.ok(s.includes('memtriage_cgroup_refaults_per_second{cgroup="/kubepods/pod1"} 7'));
  assert.ok(s.includes('memtriage_cgroup_guard_state{cgroup="/kubepods/pod1",state="storm"} 1'));
  assert.ok(s.includes('memtriage_cgroup_guard_state{cgroup="/kubepods/pod1",state="quiet"} 0'));
  assert.ok(s.includes('memtriage_guard_mode{mode="dry-run"} 1'));
  assert.ok(s.includes('memtriage_guard_last_tick_timestamp_seconds 1700000000.5'));
});

test('a value the guard lacks (null) is no series, never 0; locked bytes absent when locking is off', async () => {
  const s = await series((g) => g.observe(view({ cgroups: [cg('/a', null, { majorFaultsPerSec: null })] })));
  assert.ok(!s.some((l) => l.includes('window="10s"') && l.includes('kind="some"')), s.join('\n'));
  assert.ok(!s.some((l) => l.startsWith('memtriage_cgroup_major_page_faults_per_second')));
  assert.ok(!s.some((l) => l.startsWith('memtriage_guard_locked_bytes')));
  const locked = await series((g) => g.observe(view({ lockedBytes: 52_428_800 })));
  assert.ok(locked.includes('memtriage_guard_locked_bytes 52428800'));
});

test('counters advance by the difference between views, and a guard restart does not go backwards', async () => {
  const s = await series((g) => {
    g.observe(view({ detectionsTotal: 1, actionsTotal: { bundle: 1 } }));
    g.observe(view({ detectionsTotal: 3, actionsTotal: { bundle: 2, kill: 1 } }));
    g.observe(view({ detectionsTotal: 3, actionsTotal: { bundle: 2, kill: 1 } }));
    g.observe(view({ detectionsTotal: 1, actionsTotal: { bundle: 1, kill: 1 } })); // restarted guard: 1 new
  });
  assert.ok(s.includes('memtriage_guard_detections_total 4'), s.join('\n'));
  assert.ok(s.includes('memtriage_guard_actions_total{action="bundle"} 3'));
  assert.ok(s.includes('memtriage_guard_actions_total{action="kill"} 1'));
});

test('cgroup cap: the most pressured are kept (machine first), the rest counted; at the cap nothing is dropped', async () => {
  const groups = [cg('/low', 0.01), cg('/', 0.0), cg('/high', 0.9), cg('/mid', 0.5)];
  const capped = await series((g) => g.observe(view({ cgroups: groups })), 3);
  const names = new Set(capped.filter((l) => l.startsWith('memtriage_cgroup_refaults')).map((l) => /cgroup="([^"]+)"/.exec(l)![1]));
  assert.deepEqual([...names].sort(), ['/', '/high', '/mid']);
  assert.ok(capped.includes('memtriage_cgroups_not_exported 1'));
  const atCap = await series((g) => g.observe(view({ cgroups: groups })), 4);
  assert.equal(atCap.filter((l) => l.startsWith('memtriage_cgroup_refaults')).length, 4);
  assert.ok(atCap.includes('memtriage_cgroups_not_exported 0'));
});

test('a cgroup that left the view loses its series (no stale values)', async () => {
  const s = await series((g) => {
    g.observe(view({ cgroups: [cg('/', 0.1), cg('/gone', 0.2)] }));
    g.observe(view({ cgroups: [cg('/', 0.1)] }));
  });
  assert.ok(!s.some((l) => l.includes('/gone')), s.join('\n'));
  assert.ok(s.some((l) => l.includes('cgroup="/"')));
});
