import type { Clock } from './clock.js';
import type { Detector, StormDecision } from './detector.js';
import type { WatchedCgroup } from './discover.js';
import type { GuardDeps, GuardOptions } from './guard.js';
import { chooseVictim, type VictimChoice } from './policy.js';
import type { GuardSample, ProcessCounters } from './sample.js';
import { writeEvidence, pruneBundles, type DecisionRecord } from './act/evidence.js';
import { runHook, type HookResult } from './act/hooks.js';
import { killViaPidfd, type KillResult } from './act/kill.js';

/** What the response to a decision needs from the running guard. */
export interface ResponseContext {
  opts: GuardOptions;
  deps: GuardDeps;
  clock: Clock;
  detector: Detector;
  watchedOf(cgroup: string): WatchedCgroup | null;
  /** Resolves when a snapshot of the cgroup's processes (the one under way, or a new one) is in procHistory. */
  snapshot(w: WatchedCgroup): Promise<void>;
  procHistory: Map<string, { tMs: number; processes: ProcessCounters[] }[]>;
  count(action: string): void;
}

/**
 * One decision, answered: rank the cgroup's processes (in every mode: a dry-run line says whom
 * kill mode would pick), write the evidence, log the decision, then - by mode - run the hook or
 * kill, and log the action. The only side effects of the guard are here and in act/.
 */
export async function respond(ctx: ResponseContext, d: StormDecision, samples: GuardSample[]): Promise<void> {
  const { opts, deps, clock, detector, watchedOf, snapshot, procHistory, count } = ctx;
  const w = watchedOf(d.cgroup);
  let choice: VictimChoice | null = null;
  // Ranked in every mode: in dry-run the log says whom kill mode would have chosen, and why.
  if (w) {
    // A periodic snapshot may be under way: wait for it, then take one of the moment of decision.
    await snapshot(w);
    await snapshot(w);
    choice = chooseVictim(procHistory.get(d.cgroup) ?? [], clock.nowMs(), opts.policy);
  }
  const planned = opts.mode === 'dry-run' ? 'none' : opts.mode === 'warn' ? 'hook' : opts.killCgroup ? 'kill_cgroup' : choice?.victim ? 'kill' : 'none';
  const record: DecisionRecord = { schema: 'memtriage/guard-decision@1', mode: opts.mode, plannedAction: planned, decision: d, choice };
  // Evidence time runs from here: the decision is taken and ranked, the bundle not yet begun.
  const te = clock.nowMs();
  let bundle: string | null = null;
  let bundleError: string | null = null;
  let evidenceSyncMs: number | null = null;
  try {
    const ev = await writeEvidence(opts.bundleDir, deps.files, w, record, samples);
    bundle = ev.path;
    evidenceSyncMs = Math.round(ev.syncMs * 10) / 10;
    count('bundle');
    await pruneBundles(opts.bundleDir, opts.keepBundles);
  } catch (e) {
    bundleError = (e as Error).message;
  }
  const evidenceMs = Math.round((clock.nowMs() - te) * 10) / 10;
  opts.log({
    event: 'storm', time: new Date(d.wallMs).toISOString(), cgroup: d.cgroup, mode: opts.mode, reason: d.reason, heldMs: Math.round(d.heldMs),
    memSomeRatio1s: d.memSomeRatio1s, memFullRatio1s: d.memFullRatio1s, memSomeRatioHeld: d.memSomeRatioHeld,
    majorFaultsPerSecHeld: d.majorFaultsPerSecHeld, refaultsPerSec: d.refaultsPerSec, protectedEvictedPagesPerSec: d.protectedEvictedPagesPerSec,
    usageBytes: d.usageBytes, limitBytes: d.limitBytes, memAvailableKb: d.memAvailableKb, repeat: d.repeat,
    plannedAction: planned, victim: choice?.victim ? { pid: choice.victim.pid, comm: choice.victim.comm, basis: choice.basis } : null,
    why: choice?.why ?? null, bundle, bundleError, evidenceMs, evidenceSyncMs,
  });
  if (opts.mode === 'dry-run') return;
  const env = {
    MEMTRIAGE_EVENT: 'storm', MEMTRIAGE_CGROUP: d.cgroup, MEMTRIAGE_BUNDLE: bundle ?? '', MEMTRIAGE_DECISION: JSON.stringify(d),
    MEMTRIAGE_VICTIM_PID: String(choice?.victim?.pid ?? ''),
  };
  const hooks: HookResult[] = [];
  if (opts.mode === 'warn') {
    if (opts.hook) hooks.push(await runHook(opts.hook, env, opts.hookTimeoutMs));
    count('hook');
    opts.log({ event: 'action', time: new Date(clock.wallMs()).toISOString(), cgroup: d.cgroup, action: 'hook', hooks });
    detector.acted(d.cgroup, clock.nowMs());
    return;
  }
  if (opts.preHook) hooks.push(await runHook(opts.preHook, env, opts.hookTimeoutMs));
  const kills: KillResult[] = [];
  const ta = clock.nowMs();
  const taWall = clock.wallMs();
  if (deps.kill && choice) {
    const targets = opts.killCgroup ? choice.ranked.filter((r) => r.excluded == null) : choice.victim ? [choice.victim] : [];
    // A whole cgroup dies at once (TERM to all, then the grace): one by one would give the rest time to grow.
    kills.push(...(await Promise.all(targets.map((v) => killViaPidfd(deps.kill!, v.pid, v.comm, v.startTicks, opts.graceMs)))));
    if (targets.length) count(opts.killCgroup ? 'kill_cgroup' : 'kill');
  }
  detector.acted(d.cgroup, clock.nowMs());
  if (opts.postHook) hooks.push(await runHook(opts.postHook, { ...env, MEMTRIAGE_EVENT: 'after-action' }, opts.hookTimeoutMs));
  opts.log({
    event: 'action', time: new Date(clock.wallMs()).toISOString(), cgroup: d.cgroup, action: planned, startedAt: new Date(taWall).toISOString(),
    msFromDecision: Math.round(ta - d.tMs),
    kills, hooks, noVictim: choice && !choice.victim ? choice.why : null,
  });
}
