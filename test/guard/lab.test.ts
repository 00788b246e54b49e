/**
 * The lab test of issue 8, on a real storm (root only; ≈ 100 s on 2 cores). In a fresh PID
 * namespace inside a 300 MiB memory cgroup (v1 limit + cgroup2 twin here; memory.max and
 * memory.swap.max=0 on cgroup v2): the C daemon touching 150 MiB of mapped files every 100 ms,
 * then, watched by the real `memtriage guard` CLI:
 *   quiet 30 s                       → no decision
 *   streaming read 30 s              → no decision
 *   storm (hog at 270 MiB), dry-run  → decided ≤ 3 s after the daemon slows, bundle written, nothing killed
 *   storm again, --mode kill         → the hog dies, the daemon lives, its passes are normal ≤ 2 s after the kill
 * Bounds are the issue's; CPU contention from other jobs shows in the stall numbers, not in them.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readBundle } from '../../src/read/bundle.js';
import { GuardProcess, Lab, labUnsupported, onset, recovery, sleep, streamFile, type Pass } from './lab/harness.js';

const why = labUnsupported();

describe('guard lab: a real thrash storm', { skip: why ? `skipped: ${why}` : false, timeout: 240_000 }, () => {
  const lab = new Lab('mt-guard-lab');
  let guard: GuardProcess | null = null;
  // Every guard started, so that a phase failing before its own stop() cannot leave one running
  // (a live child keeps the test process, and CI, waiting forever).
  const started: GuardProcess[] = [];
  let quietMedianMs = 0;
  const median = (p: Pass[]) => p.map((x) => x.passMs).sort((a, b) => a - b)[Math.floor(p.length / 2)];

  before(async () => {
    await lab.start();
    lab.startDaemon();
    await sleep(4000);
  });
  after(async () => {
    for (const g of started) await g.stop();
    await lab.cleanup();
    assert.ok(!existsSync(lab.v2Dir!) && (!lab.v1Dir || !existsSync(lab.v1Dir)), 'lab cgroups removed');
  });

  const start = async (mode: string) => {
    guard = new GuardProcess(['--mode', mode, '--watch', lab.rel, '--no-host', '--bundle-dir', join(lab.tmp, `bundles-${mode}`), '--grace-ms', '1000']);
    started.push(guard);
    await sleep(1500);
    return guard;
  };

  it('quiet 30 s: no detection', async () => {
    const g = await start('dry-run');
    const t0 = Date.now();
    await sleep(30_000);
    assert.deepEqual(g.of('storm'), []);
    const quiet = lab.passes().filter((p) => p.wallMs >= t0);
    assert.ok(quiet.length > 100, 'the daemon runs');
    quietMedianMs = median(quiet);
  });

  it('streaming read of a 1 GiB file for 30 s: no detection', async () => {
    lab.startStreaming(streamFile(1024), 30);
    await sleep(30_000);
    // It prints its total when its 30 s are up: give it a moment past that.
    for (let i = 0; i < 50 && !/^stream \d+ \d+/m.test(lab.log('stream')); i++) await sleep(100);
    const m = /^stream \d+ (\d+)/m.exec(lab.log('stream'));
    assert.ok(m, `the reader ran (its log: ${JSON.stringify(lab.log('stream'))})`);
    assert.ok(Number(m[1]) >= 500, `it read ${m[1]} MiB`);
    assert.deepEqual(guard!.of('storm'), []);
  });

  it('storm in dry-run: detected within 3 s, bundle written, nothing killed', async () => {
    const hogAt = Date.now();
    lab.startHog(270);
    const e = await guard!.waitFor('storm', 20_000);
    assert.ok(e, 'a storm was decided');
    const on = onset(lab.passes(), hogAt);
    assert.ok(on != null, 'the daemon slowed down');
    const latency = Date.parse(e.time as string) - on;
    assert.ok(latency <= 3000, `detected ${latency} ms after the daemon's first slow pass`);
    assert.equal(e.mode, 'dry-run');
    assert.equal(e.plannedAction, 'none');
    const members = await readBundle(e.bundle as string);
    assert.ok(members?.some((m) => m.name === 'guard/decision.json') && members.some((m) => m.name === 'guard/samples.jsonl'));
    await sleep(3000);
    assert.equal(guard!.of('action').length, 0);
    assert.equal(lab.pidsOf('mtg-hog').length, 1, 'the hog is alive in dry-run');
    lab.killComm('mtg-hog');
    await guard!.stop();
    await sleep(3000);
  });

  it('storm in kill mode: the hog dies, the daemon survives and recovers within 2 s', async () => {
    const g = await start('kill');
    lab.startHog(270);
    const a = await g.waitFor('action', 25_000);
    assert.ok(a, `an action was taken (stderr: ${g.stderr})`);
    const kills = a.kills as { comm: string; exited: boolean; signal: string }[];
    assert.equal(kills.length, 1);
    assert.equal(kills[0].comm, 'mtg-hog');
    assert.equal(kills[0].exited, true);
    await sleep(2500);
    assert.equal(lab.pidsOf('mtg-hog').length, 0, 'the hog is gone');
    assert.equal(lab.pidsOf('mtg-daemon').length, 1, 'the daemon survived');
    const killedAt = Date.parse(a.startedAt as string);
    const normalMs = Math.max(20, 5 * quietMedianMs);
    const back = recovery(lab.passes(), killedAt, normalMs);
    assert.ok(back != null && back - killedAt <= 2000, `passes ≤ ${normalMs} ms again ${back == null ? 'never' : back - killedAt} ms after the kill`);
    assert.equal(lab.oomKills(), 0, 'the kernel OOM killer never had to act');
  });
});
