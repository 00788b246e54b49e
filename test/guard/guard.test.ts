/**
 * The guard's loop over a recorded storm (the real series from test/fixtures, fed through the
 * injected sample source), with a virtual clock: logging, evidence, hooks, observers, recording.
 * Real kills are tested in kill.test.ts and, end to end, in lab.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Clock } from '../../src/guard/clock.js';
import { DEFAULT_DETECTOR } from '../../src/guard/detector.js';
import { MapFiles } from '../../src/guard/files.js';
import { runGuard, type GuardOptions, type SampleSource } from '../../src/guard/guard.js';
import { AsyncPidReader, MapPidReader } from '../../src/guard/pid-reader.js';
import { pidfdExited } from '../../src/guard/act/kill.js';
import { parseStat } from '../../src/guard/procs.js';
import { realSyscalls } from '../../src/guard/syscalls.js';
import { spawn } from 'node:child_process';
import { DEFAULT_POLICY } from '../../src/guard/policy.js';
import type { GuardSample } from '../../src/guard/sample.js';
import { parseJsonl } from '../../src/guard/series.js';
import type { GuardView } from '../../src/guard/view.js';
import type { ProtectedBinaries } from '../../src/guard/protected-binaries.js';
import { readBundle } from '../../src/read/bundle.js';
import { readFixture } from '../helpers.js';

const storm = parseJsonl(readFixture('guard-host-6.18-storm.jsonl')).samples.map((s) => ({ ...s, processes: undefined }));

/** Virtual time: each tick of the interval jumps to the next recorded tick (one turn of the event loop apart). */
function replayRig(samples: GuardSample[]): { clock: Clock; source: SampleSource } {
  let i = 0;
  let now = samples[0].tMs;
  const clock: Clock = {
    nowMs: () => now,
    wallMs: () => samples[Math.min(i, samples.length - 1)].wallMs,
    sleep: () => new Promise((r) => setImmediate(r)),
    every: (_ms, fn) => {
      let on = true;
      const step = () => {
        if (!on) return;
        i++;
        now = i < samples.length ? samples[i].tMs : now + 100;
        fn();
        setImmediate(step);
      };
      setImmediate(step);
      return () => { on = false; };
    },
  };
  const source: SampleSource = {
    sample: () => samples[Math.min(i, samples.length - 1)],
    cgroups: () => [{ cgroup: '/mt-guard-rec', v1Dir: '/sys/fs/cgroup/memory/mt-guard-rec', v2Dir: '/sys/fs/cgroup/unified/mt-guard-rec' }],
  };
  return { clock, source };
}

function options(dir: string, over: Partial<GuardOptions>, events: Record<string, unknown>[], said: string[]): GuardOptions {
  return {
    mode: 'dry-run', intervalMs: 100, detector: DEFAULT_DETECTOR, policy: { ...DEFAULT_POLICY, selfPid: -1 }, bundleDir: dir, keepBundles: 10, graceMs: 100,
    killCgroup: false, hook: null, preHook: null, postHook: null, hookTimeoutMs: 2000, processSampleMs: 1000, nearLimitRatio: 0.9, observers: [], record: null,
    log: (e) => events.push(e), say: (l) => said.push(l), durationMs: storm.at(-1)!.tMs - storm[0].tMs,
    sampler: { v1Root: null, v2Root: null, watch: [], maxCgroups: 64, includeRoot: false, refreshMs: 10000 }, ...over,
  };
}

describe('guard loop over a recorded storm', () => {
  it('dry-run: one storm line with the numbers, a bundle before it, no action; every tick observed and recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-guard-loop-'));
    try {
      const events: Record<string, unknown>[] = [];
      const said: string[] = [];
      const views: GuardView[] = [];
      const recorded: GuardSample[] = [];
      const { clock, source } = replayRig(storm);
      const res = await runGuard(options(dir, {
        observers: [(v) => views.push(v), () => { throw new Error('broken exporter'); }], record: (s) => recorded.push(s),
      }, events, said), { files: new MapFiles(), sampler: source, pids: new MapPidReader({}), clock, kill: null, binaries: null });
      assert.equal(res.decisions, 1);
      assert.deepEqual(events.map((e) => e.event), ['storm']);
      const e = events[0];
      assert.equal(e.cgroup, '/mt-guard-rec');
      assert.equal(e.reason, 'stall-and-major-faults');
      assert.equal(e.plannedAction, 'none');
      assert.ok(typeof e.majorFaultsPerSecHeld === 'number' && e.majorFaultsPerSecHeld >= 10);
      assert.ok(typeof e.evidenceMs === 'number');
      assert.ok(existsSync(e.bundle as string));
      const members = await readBundle(e.bundle as string);
      assert.ok(members?.some((m) => m.name === 'guard/decision.json'));
      // Every tick: one view, one recorded sample; the throwing observer is reported, not fatal.
      assert.equal(views.length, recorded.length);
      assert.ok(views.length >= storm.length - 2);
      assert.equal(views.at(-1)!.detectionsTotal, 1);
      assert.equal(res.actions.bundle, 1);
      assert.equal(views.at(-1)!.mode, 'dry-run');
      assert.ok(views.some((v) => v.cgroups[0].state === 'storm'));
      assert.ok(said.some((l) => l.includes('broken exporter')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('protected binaries: cachestat read on ticks that are not quiet, carried on quiet ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-guard-loop-'));
    try {
      const { clock, source } = replayRig(storm);
      let tick = -1;
      // Ticks 0 and 10 are slow ticks, 1-9 and 11-19 saw no stall anywhere, from 20 on the machine stalls.
      const quiet = (i: number) => i < 20 && i % 10 !== 0;
      const quietSource: SampleSource = { sample: (...a) => ({ ...source.sample(...a) }), cgroups: source.cgroups, quietTick: () => quiet(tick) };
      const readAt: number[] = [];
      const binaries = { evictedPages: () => { readAt.push(tick); return 100 * readAt.length; }, refresh: async () => undefined, close: () => undefined } as unknown as ProtectedBinaries;
      const recorded: GuardSample[] = [];
      await runGuard(options(dir, { record: (s) => recorded.push(s), durationMs: 3000 }, [], []), {
        files: new MapFiles(), sampler: { ...quietSource, sample: (...a) => { tick++; return quietSource.sample(...a); } }, pids: new MapPidReader({}), clock, kill: null, binaries,
      });
      assert.ok(recorded.length >= 25);
      assert.deepEqual(readAt.slice(0, 5), [0, 10, 20, 21, 22]);
      assert.equal(readAt.length, recorded.length - 18);
      // Carried: tick 5 shows what tick 0 read, tick 15 what tick 10 read; tick 20 its own.
      assert.deepEqual([recorded[5].protectedEvictedPages, recorded[15].protectedEvictedPages, recorded[20].protectedEvictedPages], [100, 200, 300]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('calm ticks come every quietIntervalMs; the first tick that sees a stall goes back to intervalMs (and the slow files keep their period in ms)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-guard-loop-'));
    try {
      // calm: ticks 0-9 and 20-29 (the machine's PSI total stood still), a stall on ticks 10-19.
      const run = async (quietIntervalMs: number | null, calm: (i: number) => boolean) => {
        const { clock, source } = replayRig(storm);
        const periods: number[] = [];
        const slowEvery: number[] = [];
        let tick = -1;
        const paced: Clock = { ...clock, every: (ms, fn) => (periods.push(ms), clock.every(ms, fn)) };
        const sampler: SampleSource = {
          sample: (...a) => { tick++; return source.sample(...a); }, cgroups: source.cgroups,
          calm: () => calm(tick), setSlowEvery: (n) => void slowEvery.push(n),
        };
        await runGuard(options(dir, { quietIntervalMs, durationMs: 3000 }, [], []), { files: new MapFiles(), sampler, pids: new MapPidReader({}), clock: paced, kill: null, binaries: null });
        return { periods, slowEvery, ticks: tick + 1 };
      };
      const mixed = (i: number) => i < 10 || (i >= 20 && i < 30);
      const r = await run(200, mixed);
      assert.ok(r.ticks >= 25, `${r.ticks} ticks`);
      assert.deepEqual(r.periods.slice(0, 4), [100, 200, 100, 200]);
      // slowEvery 10 at 100 ms is 1000 ms: 5 ticks at 200 ms, 10 again at 100 ms.
      assert.deepEqual(r.slowEvery.slice(0, 3), [5, 10, 5]);
      // Never calm: never slower. No quiet interval (or one not above intervalMs): one timer for the whole run.
      assert.deepEqual((await run(200, () => false)).periods, [100]);
      assert.deepEqual((await run(null, mixed)).periods, [100]);
      assert.deepEqual((await run(100, mixed)).periods, [100]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('warn: the hook runs with the decision in its environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-guard-loop-'));
    try {
      const events: Record<string, unknown>[] = [];
      const { clock, source } = replayRig(storm);
      const out = join(dir, 'hook.out');
      await runGuard(options(dir, { mode: 'warn', hook: `printf '%s %s' "$MEMTRIAGE_CGROUP" "$MEMTRIAGE_EVENT" > ${out}` }, events, []),
        { files: new MapFiles(), sampler: source, pids: new MapPidReader({}), clock, kill: null, binaries: null });
      assert.deepEqual(events.map((e) => e.event), ['storm', 'action']);
      assert.equal(readFileSync(out, 'utf8'), '/mt-guard-rec storm');
      const hooks = events[1].hooks as { exitCode: number }[];
      assert.equal(hooks[0].exitCode, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('kill with no readable process: says why, kills nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-guard-loop-'));
    try {
      const events: Record<string, unknown>[] = [];
      const { clock, source } = replayRig(storm);
      let signalled = 0;
      const sys = { pidfdOpen: () => { signalled++; return -1; }, pidfdSendSignal: () => 0, processMrelease: () => 0, recentlyEvictedPages: () => null, close: () => undefined };
      await runGuard(options(dir, { mode: 'kill' }, events, []), {
        files: new MapFiles(), sampler: source, pids: new MapPidReader({}), clock, binaries: null,
        kill: { sys, exited: () => true, nowMs: clock.nowMs, sleep: async () => undefined, startTicks: async () => null },
      });
      assert.deepEqual(events.map((e) => e.event), ['storm', 'action']);
      assert.equal(events[0].victim, null);
      assert.match(String(events[1].noVictim), /no process/);
      assert.equal(signalled, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('kill --kill-cgroup: every eligible member of the storming cgroup dies through its pidfd (real child processes)', { skip: ['x64', 'arm64'].includes(process.arch) ? false : 'pidfd syscalls wired for x86_64/arm64 only' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-guard-loop-'));
    const kids = [spawn('sleep', ['60']), spawn('sleep', ['60'])];
    try {
      await new Promise((r) => setTimeout(r, 100));
      const events: Record<string, unknown>[] = [];
      const { clock, source } = replayRig(storm);
      // The recorded cgroup's member list names our two children; /proc is the real one.
      const files = new MapFiles({ '/sys/fs/cgroup/memory/mt-guard-rec/cgroup.procs': kids.map((k) => k.pid).join('\n') + '\n' });
      const pids = new AsyncPidReader(2000);
      const exits = kids.map((k) => new Promise<string | null>((r) => k.once('exit', (_c, sig) => r(sig))));
      const real = { nowMs: () => performance.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
      // Virtual time runs far ahead of the real /proc reads here: a window of 10 min keeps every
      // snapshot in it (the window itself is tested in policy.test.ts).
      const policy = { ...DEFAULT_POLICY, selfPid: -1, windowMs: 600_000 };
      await runGuard(options(dir, { mode: 'kill', killCgroup: true, graceMs: 500, policy }, events, []), {
        files, sampler: source, pids, clock, binaries: null,
        kill: { sys: realSyscalls(), exited: pidfdExited, ...real, startTicks: async (pid) => parseStat(await pids.read(pid, 'stat'))?.startTicks ?? null },
      });
      assert.deepEqual(events.map((e) => e.event), ['storm', 'action']);
      assert.equal(events[1].action, 'kill_cgroup');
      const kills = events[1].kills as { pid: number; exited: boolean; signal: string }[];
      assert.deepEqual(kills.map((k) => k.pid).sort(), kids.map((k) => k.pid).sort());
      assert.ok(kills.every((k) => k.exited && k.signal === 'SIGTERM'));
      assert.deepEqual(await Promise.all(exits), ['SIGTERM', 'SIGTERM']);
    } finally {
      for (const k of kids) if (k.exitCode == null && k.signalCode == null) k.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
