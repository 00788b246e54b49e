import type { EvidenceLine } from '../model/common.js';
import type { Finding } from '../model/finding.js';
import type { StackFrame } from '../model/kernel-incidents.js';
import type { CrashBtIncident, CrashStructField, CrashStructIncident } from '../model/snapshot-incidents.js';
import { optionsOf, type Rule, type RuleContext, type RuleOptions } from './types.js';
import { chain, reliable, topFrames, waitOf } from './util/frames.js';
import { lineAt, lineIn } from './util/snapshot-lines.js';
import { uniqueEvidence } from './util/text.js';

/** Task addresses as crash prints them: with or without 0x; since 4.10 a mutex owner carries flag bits in its low 3 bits. */
const addr = (s: string | null | undefined): bigint | null => {
  const m = s ? /^(?:0x)?([0-9a-f]{8,16})$/i.exec(s.trim()) : null;
  return m ? BigInt('0x' + m[1]) & ~7n : null;
};

/**
 * The frame that took the lock: the first one past the lock and scheduler plumbing ("lookup_slow").
 * x86 stacks interleave "? " guesses (stale return addresses) between the real frames; they are skipped.
 */
function caller(all: readonly StackFrame[]): string | null {
  const frames = reliable(all);
  const i = frames.findIndex((f) => /^(mutex_lock\w*|down_(read|write)\w*|rwsem_down_\w+)$/.test(f.fn));
  return i >= 0 ? frames[i + 1]?.fn ?? null : null;
}

interface Lock { struct: CrashStructIncident; structIndex: number; owner: CrashStructField; waitNext: string | null }

function locks(ctx: RuleContext): Lock[] {
  const out: Lock[] = [];
  ctx.incidents.forEach((inc, i) => {
    if (inc.kind !== 'crash_struct') return;
    const owner = inc.fields.find((f) => /(^|\.)owner(\.counter)?$/.test(f.path) && addr(f.value) != null && addr(f.value) !== 0n);
    if (owner) out.push({ struct: inc, structIndex: i, owner, waitNext: inc.fields.find((f) => /wait_list\.next$/.test(f.path))?.value ?? null });
  });
  return out;
}

function fromCrash(ctx: RuleContext): Finding[] {
  const bts = ctx.incidents.map((inc, index) => ({ inc, index })).filter((x): x is { inc: CrashBtIncident; index: number } => x.inc.kind === 'crash_bt');
  const out: Finding[] = [];
  for (const l of locks(ctx)) {
    const owner = bts.find((b) => addr(b.inc.task) === addr(l.owner.value));
    const waiters = bts.filter((b) => b !== owner && waitOf(b.inc.frames)?.kind === 'lock');
    const un = ctx.incidents.map((inc, index) => ({ inc, index })).find((x) => x.inc.kind === 'crash_count' && x.inc.taskState === 'UN');
    const list = ctx.incidents.map((inc, index) => ({ inc, index })).find((x) => x.inc.kind === 'crash_count' && x.inc.entries != null && (l.waitNext ? x.inc.command.includes(l.waitNext) : /mutex_waiter|rwsem_waiter/.test(x.inc.command)));
    if (!owner || (waiters.length === 0 && !list)) continue;
    const ow = waitOf(owner.inc.frames);
    const unCount = un?.inc.kind === 'crash_count' ? un.inc.count : null;
    const nWait = list?.inc.kind === 'crash_count' ? list.inc.entries : null;
    const ps = ctx.incidents.flatMap((inc) => (inc.kind === 'crash_ps' ? inc.tasks.filter((t) => t.state === 'UN') : []));
    const comms = [...new Set(ps.map((t) => t.comm))];
    const sched = (pid: number | null) => ctx.incidents.find((x) => x.kind === 'crash_sched_info' && x.pid === pid);
    const w = waiters[0];
    const ws = w ? sched(w.inc.pid) : undefined; const os = sched(owner.inc.pid);
    const memory = ow?.kind === 'memory';
    const explanation = [
      unCount != null ? `${unCount} tasks were in UN (uninterruptible, D) state${ps.length ? `; the ${ps.length} listed are ${comms.length === 1 ? `all ${comms[0]}` : comms.join(', ')}` : ''}.` : '',
      w ? `A waiter's stack (${w.inc.comm} pid ${w.inc.pid}): ${chain(topFrames(w.inc.frames), 4)}: it sleeps on a lock taken in ${caller(w.inc.frames) ?? 'the frame above'}.` : '',
      `The lock (${l.struct.expression ?? 'struct'} at ${l.struct.address ?? '?'}) is owned by ${l.owner.value}, which is ${owner.inc.comm} pid ${owner.inc.pid}; its stack: ${chain(topFrames(owner.inc.frames), 4)}${ow ? `: ${ow.meaning}` : ''}.`,
      nWait != null && list?.inc.kind === 'crash_count' ? `The lock's wait list has ${list.inc.count} lines = ${nWait} waiters${unCount != null ? `, about as many as the ${unCount} UN tasks: nearly every stuck task waits on this one lock` : ''}.` : '',
      ws?.kind === 'crash_sched_info' && os?.kind === 'crash_sched_info' && ws.lastArrivalNs != null && os.lastArrivalNs != null
        ? `The waiter last ran at ${(ws.lastArrivalNs / 1e9).toFixed(1)} s after boot, the owner at ${(os.lastArrivalNs / 1e9).toFixed(1)} s: the owner still runs, slowly, while the waiters have not moved for ${((os.lastArrivalNs - ws.lastArrivalNs) / 3.6e12).toFixed(1)} h.` : '',
      memory ? 'So one allocation under memory pressure holds a lock that the others queue behind. Tasks in D state do not act on SIGKILL, so the OOM killer cannot free their memory (and kernels before 4.6 have no oom_reaper to take it anyway); every new task that touches the same path blocks too, memory gets tighter and the owner\'s allocation slower: a lock convoy that turns a slowdown into a hang.'
        : 'The owner is not waiting for memory, so the convoy lasts as long as whatever the owner waits for.',
    ].filter(Boolean).join(' ');
    const ev: (EvidenceLine | null)[] = [
      un ? lineIn(ctx, un.inc, 'UN') : null,
      un && unCount != null ? lineIn(ctx, un.inc, String(unCount), true) : null,
      w ? lineAt(ctx, w.inc.input, w.inc.frames.find((f) => f.fn === 'mutex_lock')?.line ?? w.inc.line, 'mutex_lock') : null,
      lineAt(ctx, l.struct.input, l.owner.line, 'owner'),
      lineIn(ctx, owner.inc, 'PID:'),
      ow ? lineAt(ctx, owner.inc.input, ow.frame.line, ow.frame.fn) : null,
      list ? lineIn(ctx, list.inc, 'list') : null,
      list?.inc.kind === 'crash_count' ? lineIn(ctx, list.inc, String(list.inc.count), true) : null,
    ];
    out.push({
      rule: 'lock-convoy', severity: memory ? 'critical' : 'warning',
      title: `${nWait ?? unCount ?? waiters.length} tasks wait on one lock held by ${owner.inc.comm} (pid ${owner.inc.pid})${memory ? ', itself stuck allocating memory' : ''}`,
      explanation,
      incidents: [...new Set([un?.index, w?.index, l.structIndex, owner.index, list?.index].filter((x): x is number => x != null))],
      evidence: uniqueEvidence(ev),
      data: {
        lock: l.struct.expression, lockAddress: l.struct.address, ownerTask: l.owner.value, ownerPid: owner.inc.pid, ownerComm: owner.inc.comm,
        ownerWait: ow?.frame.fn ?? null, ownerWaitKind: ow?.kind ?? null, waiters: nWait, unTasks: unCount, waiterComms: comms, lockTakenIn: w ? caller(w.inc.frames) : null,
      },
      advice: [
        'Find what keeps starting the waiting tasks (a cron job, a monitoring agent, timeout loops) and stop it; each new one joins the queue.',
        'Free memory so the owner\'s allocation completes: the lock is released only then.',
      ],
    });
  }
  return out;
}

/** Without a crash dump: many blocked tasks on locks while another blocked task waits for memory. */
function fromStacks(ctx: RuleContext, minWaiters: number): Finding[] {
  const tasks = ctx.incidents.flatMap((inc, index) => (inc.kind === 'sysrq_blocked' || inc.kind === 'sysrq_show_state' ? inc.tasks.filter((t) => t.state?.startsWith('D')).map((t) => ({ comm: t.comm, pid: t.pid, frames: t.frames, index, input: inc.input }))
    : inc.kind === 'hung_task' ? [{ comm: inc.comm, pid: inc.pid, frames: inc.callTrace, index, input: inc.input }] : []));
  // Each stack's wait once (a task's frames are matched against the wait patterns frame by frame),
  // kept with its task for the evidence below.
  const waits = tasks.map((t) => ({ ...t, wait: waitOf(t.frames) }));
  const onLock = waits.filter((t) => t.wait?.kind === 'lock');
  const onMem = waits.filter((t) => t.wait?.kind === 'memory');
  if (onLock.length < minWaiters || onMem.length === 0) return [];
  const m = onMem[0]; const mw = m.wait!;
  return [{
    rule: 'lock-convoy', severity: 'warning',
    title: `${onLock.length} blocked tasks wait on locks while ${m.comm} (pid ${m.pid}) is stuck allocating memory`,
    explanation: `${onLock.length} tasks in D state wait for a lock (${[...new Set(onLock.map((t) => caller(t.frames)).filter(Boolean))].join(', ') || 'lock frames'}), and ${onMem.length} blocked task${onMem.length > 1 ? 's wait' : ' waits'} for memory (${m.comm}: ${chain(topFrames(m.frames), 4)}). Stack dumps do not name a lock's owner, so this is the likely convoy, not a proven one: a crash dump (the mutex's owner field) would prove it. Tasks in D state do not act on SIGKILL, so the OOM killer cannot help while they wait.`,
    incidents: [...new Set([...onLock, m].map((t) => t.index))],
    evidence: uniqueEvidence([lineAt(ctx, m.input, mw.frame.line, mw.frame.fn), ...onLock.slice(0, 3).map((t) => { const f = t.wait!.frame; return lineAt(ctx, t.input, f.line, f.fn); })]),
    data: { waiters: onLock.length, ownerPid: null, memoryWaiters: onMem.map((t) => ({ comm: t.comm, pid: t.pid })) },
  }];
}

export const lockConvoy: Rule = {
  meta: {
    id: 'lock-convoy', role: 'cause', precedence: 30, severity: 'critical', description: 'Many tasks in D state waiting on one lock whose owner is itself stuck in allocation or reclaim.',
    options: { minWaiters: { default: 5, description: 'from stack dumps alone (no crash dump naming the owner): at least this many D tasks waiting on locks' } },
  },
  check(ctx: RuleContext, options?: RuleOptions): Finding[] {
    const crash = fromCrash(ctx);
    return crash.length ? crash : fromStacks(ctx, optionsOf(lockConvoy.meta, options).minWaiters);
  },
};
