import { createWriteStream, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { realClock } from '../guard/clock.js';
import { DEFAULT_DETECTOR, type DetectorConfig } from '../guard/detector.js';
import { DEFAULT_QUIET_STALL_RATIO } from '../guard/sampler.js';
import { PreadFiles } from '../guard/files.js';
import { runGuard, type GuardMode } from '../guard/guard.js';
import { AsyncPidReader } from '../guard/pid-reader.js';
import { DEFAULT_POLICY, DEFAULT_PROTECT, type PolicyConfig } from '../guard/policy.js';
import { ProtectedBinaries } from '../guard/protected-binaries.js';
import { pidfdExited } from '../guard/act/kill.js';
import { parseStat } from '../guard/procs.js';
import { replaySeries } from '../guard/replay.js';
import { parseSeries } from '../guard/series.js';
import { realSyscalls, type Syscalls } from '../guard/syscalls.js';
import type { GuardObserver } from '../guard/view.js';
import { cgroupMounts } from '../live/cgroups.js';
import { parseMountinfo } from '../live/proc-text.js';
import { type CliIO, type Command, UsageError } from './command.js';
import { GUARD_HELP as HELP } from './guard-help.js';
import { intOption } from './options.js';
import { readMinTtlMs } from '../guard/min-ttl.js';
import { ExtrasError, startGuardExtras, type GuardExtras } from './guard-extras.js';
import { SUMMARIES } from './registry.js';

const DEFAULT_BUNDLE_DIR = '/var/tmp/memtriage-guard';


export const GUARD_OPTIONS = {
  mode: { type: 'string' }, 'interval-ms': { type: 'string' }, watch: { type: 'string', multiple: true }, 'no-host': { type: 'boolean' },
  'max-cgroups': { type: 'string' }, 'bundle-dir': { type: 'string' }, 'keep-bundles': { type: 'string' },
  protect: { type: 'string', multiple: true }, prefer: { type: 'string' }, avoid: { type: 'string' }, 'kill-cgroup': { type: 'boolean' },
  'grace-ms': { type: 'string' }, hook: { type: 'string' }, 'pre-hook': { type: 'string' }, 'post-hook': { type: 'string' },
  'hook-timeout-ms': { type: 'string' }, 'some-percent': { type: 'string' }, 'hold-ms': { type: 'string' }, 'major-faults': { type: 'string' },
  'evicted-pages': { type: 'string' }, 'severe-some-percent': { type: 'string' }, 'severe-full-percent': { type: 'string' },
  'severe-hold-ms': { type: 'string' }, 'cooldown-ms': { type: 'string' }, record: { type: 'string' }, 'duration-s': { type: 'string' },
  replay: { type: 'string' }, metrics: { type: 'string' }, textfile: { type: 'string' },
  'lock-critical': { type: 'boolean' }, 'lock-daemon': { type: 'string', multiple: true }, 'lock-budget-mib': { type: 'string' },
  status: { type: 'boolean' }, 'min-ttl-ms': { type: 'string' }, 'quiet-stat-ms': { type: 'string' }, 'quiet-interval-ms': { type: 'string' }, 'quiet-stall-percent': { type: 'string' },
} satisfies NonNullable<Command['options']>;

type Values = ReturnType<typeof parse>['values'];
const parse = (argv: string[]) => parseArgs({ args: argv, allowPositionals: false, strict: true, options: GUARD_OPTIONS });

function regex(v: string | undefined, name: string): RegExp | null {
  if (v === undefined) return null;
  try {
    return new RegExp(v);
  } catch (e) {
    throw new UsageError(`--${name}: not a regular expression: ${(e as Error).message}`);
  }
}

/** A percentage option → ratio (0..1); dflt is a ratio. */
function percent(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || n > 100) throw new UsageError(`--${name} wants a percentage 0-100, got "${v}"`);
  return n / 100;
}

export function detectorConfig(values: Values): DetectorConfig {
  const d = DEFAULT_DETECTOR;
  return {
    ...d,
    someRatio: percent(values['some-percent'], 'some-percent', d.someRatio),
    holdMs: intOption(values['hold-ms'], 'hold-ms') ?? d.holdMs,
    majorFaultsPerSec: intOption(values['major-faults'], 'major-faults') ?? d.majorFaultsPerSec,
    evictedPagesPerSec: intOption(values['evicted-pages'], 'evicted-pages') ?? d.evictedPagesPerSec,
    severeSomeRatio: percent(values['severe-some-percent'], 'severe-some-percent', d.severeSomeRatio),
    severeFullRatio: percent(values['severe-full-percent'], 'severe-full-percent', d.severeFullRatio),
    severeHoldMs: intOption(values['severe-hold-ms'], 'severe-hold-ms') ?? d.severeHoldMs,
    cooldownMs: intOption(values['cooldown-ms'], 'cooldown-ms') ?? d.cooldownMs,
  };
}

function policyConfig(values: Values): PolicyConfig {
  return {
    ...DEFAULT_POLICY, protect: [...DEFAULT_PROTECT, ...(values.protect ?? [])], prefer: regex(values.prefer, 'prefer'),
    avoid: regex(values.avoid, 'avoid'), selfPid: process.pid,
  };
}

async function replay(path: string, values: Values, io: CliIO): Promise<number> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    io.stderr.write(`memtriage guard: ${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
    return 2;
  }
  const series = parseSeries(text);
  for (const p of series.problems.slice(0, 20)) io.stderr.write(`memtriage guard: ${path}:${p.line}: ${p.message}\n`);
  if (series.samples.length === 0) {
    io.stderr.write(`memtriage guard: ${path}: no samples (expected JSON lines of guard samples or a CSV with t_ms,cgroup,…)\n`);
    return 2;
  }
  const out = replaySeries(series.samples, detectorConfig(values), policyConfig(values));
  for (const r of out) io.stdout.write(JSON.stringify({ event: 'storm', replay: true, ...r }) + '\n');
  const spanS = (series.samples.at(-1)!.tMs - series.samples[0].tMs) / 1000;
  io.stderr.write(`memtriage guard: ${path}: ${series.samples.length} samples over ${spanS.toFixed(1)} s, ${out.length} storm decision(s)` +
    `${series.problems.length ? `, ${series.problems.length} bad line(s)` : ''}\n`);
  return out.length > 0 ? 1 : 0;
}

export const guardCommand: Command = {
  name: 'guard',
  summary: SUMMARIES.guard,
  help: HELP,
  options: GUARD_OPTIONS,
  async run(argv: string[], io: CliIO): Promise<number> {
    return runGuardCli(argv, io, []);
  },
};

/** The guard with extra observers (metrics exporters plug in here). */
export async function runGuardCli(argv: string[], io: CliIO, extraObservers: GuardObserver[]): Promise<number> {
  const { values } = parse(argv);
  if (values.replay) return replay(values.replay, values, io);
  if (values.status) return status(resolve(values['bundle-dir'] ?? DEFAULT_BUNDLE_DIR), io);
  const mode = (values.mode ?? 'dry-run') as GuardMode;
  if (!['dry-run', 'warn', 'kill'].includes(mode)) throw new UsageError(`--mode must be dry-run, warn or kill, got "${values.mode}"`);
  if (mode === 'warn' && !values.hook) throw new UsageError('--mode warn needs --hook CMD (the warning to run)');
  const intervalMs = intOption(values['interval-ms'], 'interval-ms') ?? 100;
  if (intervalMs < 10) throw new UsageError('--interval-ms must be at least 10');
  const detector = detectorConfig(values);
  const policy = policyConfig(values);
  // The quiet-tick saving (src/guard/sampler.ts): its floor must stay under the stall that starts a
  // storm, or a stall could be held with the fault counters still read at the slow rate.
  const quietStallRatio = percent(values['quiet-stall-percent'], 'quiet-stall-percent', DEFAULT_QUIET_STALL_RATIO);
  if (quietStallRatio >= detector.someRatio) {
    throw new UsageError(`--quiet-stall-percent (${values['quiet-stall-percent']}) must be below --some-percent (${values['some-percent'] ?? detector.someRatio * 100}): the stat files must be read at full rate before a stall can start a storm`);
  }
  const quietStatMs = intOption(values['quiet-stat-ms'], 'quiet-stat-ms') ?? 1000;
  if (quietStatMs > 10_000) throw new UsageError('--quiet-stat-ms must be at most 10000 (limits and OOM kill counts are read at this rate too)');
  // Calm ticks (no stall anywhere) this far apart; the first stalled tick restores --interval-ms.
  const quietIntervalMs = intOption(values['quiet-interval-ms'], 'quiet-interval-ms') ?? Math.max(intervalMs, 200);
  if (quietIntervalMs < intervalMs || (quietIntervalMs > intervalMs && quietIntervalMs > 500)) {
    throw new UsageError(`--quiet-interval-ms must be between --interval-ms (${intervalMs}) and 500: a stall's first tick may come that much later (${values['quiet-interval-ms']})`);
  }
  let mounts;
  try {
    mounts = cgroupMounts(parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8')));
  } catch {
    mounts = { v1Memory: null, v2: null };
  }
  let sys: Syscalls | null = null;
  try {
    sys = realSyscalls();
  } catch (e) {
    io.stderr.write(`${(e as Error).message}; kill mode and protected-binary eviction are off\n`);
    if (mode === 'kill') return 2;
  }
  const durationS = intOption(values['duration-s'], 'duration-s');
  const bundleDir = resolve(values['bundle-dir'] ?? DEFAULT_BUNDLE_DIR);
  const say = (line: string) => io.stderr.write(`${line}\n`);
  let extras: GuardExtras;
  try {
    extras = await startGuardExtras(values, bundleDir, say);
  } catch (e) {
    if (!(e instanceof ExtrasError)) throw e;
    io.stderr.write(`memtriage guard: ${e.message}\n`);
    return 2;
  }
  const record = values.record ? createWriteStream(values.record, { flags: 'a' }) : null;
  const pids = new AsyncPidReader();
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  say(`memtriage guard: ${mode}, every ${intervalMs} ms (${quietIntervalMs} ms while nothing stalls), ${values.watch?.length ? `cgroups under ${values.watch.join(', ')}` : 'every cgroup'}` +
    `${values['no-host'] ? '' : ' and the whole machine'}; v1 memory at ${mounts.v1Memory ?? '(none)'}, cgroup2 at ${mounts.v2 ?? '(none)'}; bundles in ${bundleDir}`);
  try {
    const res = await runGuard({
      mode, intervalMs, quietIntervalMs, detector, policy, bundleDir, keepBundles: intOption(values['keep-bundles'], 'keep-bundles') ?? 50,
      graceMs: intOption(values['grace-ms'], 'grace-ms') ?? 1000, killCgroup: !!values['kill-cgroup'],
      hook: values.hook ?? null, preHook: values['pre-hook'] ?? null, postHook: values['post-hook'] ?? null,
      hookTimeoutMs: intOption(values['hook-timeout-ms'], 'hook-timeout-ms') ?? 2000, processSampleMs: 1000, nearLimitRatio: 0.9,
      sampler: {
        v1Root: mounts.v1Memory, v2Root: mounts.v2, watch: values.watch ?? [], includeRoot: !values['no-host'],
        maxCgroups: intOption(values['max-cgroups'], 'max-cgroups') ?? 64, refreshMs: 10000,
        slowEvery: Math.max(1, Math.round(quietStatMs / intervalMs)), quietStallRatio,
      },
      observers: [...extraObservers, ...extras.observers], lockedBytes: extras.lockedBytes, record: record ? (s) => record.write(JSON.stringify(s) + '\n') : null,
      log: (e) => io.stdout.write(JSON.stringify(e) + '\n'), say, durationMs: durationS != null ? durationS * 1000 : null, signal: ac.signal,
    }, {
      files: new PreadFiles(), pids, clock: realClock,
      kill: sys ? {
        sys, exited: pidfdExited, nowMs: realClock.nowMs, sleep: realClock.sleep,
        startTicks: async (pid) => parseStat(await pids.read(pid, 'stat'))?.startTicks ?? null,
      } : null,
      binaries: sys ? new ProtectedBinaries(sys, pids, policy.protect.filter((p) => !p.startsWith('/') && !/\.(service|scope|slice)$/.test(p))) : null,
    });
    say(`memtriage guard: stopped; ${res.decisions} storm decision(s), actions ${JSON.stringify(res.actions)}`);
    return 0;
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    if (record) await new Promise((r) => record.end(r));
    await extras.close();
  }
}

/** `guard --status`: what a running guard with --lock-critical holds locked, and its budget. */
async function status(bundleDir: string, io: CliIO): Promise<number> {
  const { readLockFile } = await import('../guard/lock/session.js');
  const { renderLockStatus } = await import('../guard/lock/status-text.js');
  const r = await readLockFile(bundleDir);
  const ttl = await readMinTtlMs();
  const mglru = ttl == null ? 'MGLRU: not in this kernel' : `MGLRU: min_ttl_ms = ${ttl}`;
  if ('error' in r) {
    io.stderr.write(`memtriage guard --status: ${r.error}\n`);
    io.stdout.write(`${mglru}\n`);
    return 3;
  }
  const f = r.file;
  const alive = await readFile(`/proc/${f.pid}/stat`, 'utf8').then(() => true, () => false);
  io.stdout.write(`guard pid ${f.pid}${alive ? '' : ' (no longer running: the locks below were released when it stopped)'}, status of ${new Date(f.writtenAtMs).toISOString()}\n`);
  io.stdout.write(`oom_score_adj ${f.oomScoreAdj ?? 'unknown'}${f.oomScoreAdjNote ? ` (${f.oomScoreAdjNote})` : ''}\n`);
  io.stdout.write(renderLockStatus(f.lock));
  io.stdout.write(`${mglru}\n`);
  return alive ? 0 : 3;
}
