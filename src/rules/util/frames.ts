import type { StackFrame } from '../../model/kernel-incidents.js';
import { memo } from './memo.js';

/** Frames the unwinder was sure of ("? " marks a guess), in printed order, innermost first. */
export function reliable(frames: readonly StackFrame[]): StackFrame[] {
  return frames.filter((f) => !f.unreliable);
}

/** Distinct modules named in brackets, reliable frames first, in printed order. */
export function modulesOf(frames: readonly StackFrame[]): { module: string; frames: StackFrame[]; reliable: boolean }[] {
  const out = new Map<string, { module: string; frames: StackFrame[]; reliable: boolean }>();
  for (const f of frames) {
    if (!f.module) continue;
    const e = out.get(f.module) ?? { module: f.module, frames: [], reliable: false };
    e.frames.push(f);
    e.reliable ||= !f.unreliable;
    out.set(f.module, e);
  }
  return [...out.values()].sort((a, b) => Number(b.reliable) - Number(a.reliable));
}

/** The innermost reliable frame in a module: the driver code nearest to where it happened. */
export function driverFrame(frames: readonly StackFrame[]): StackFrame | null {
  return reliable(frames).find((f) => f.module) ?? frames.find((f) => f.module) ?? null;
}

/** "a ← b ← c": frames from the innermost outwards. */
export function chain(frames: readonly StackFrame[], n = 5): string {
  return frames.slice(0, n).map((f) => (f.module ? `${f.fn} [${f.module}]` : f.fn)).join(' ← ');
}

export interface WaitKind {
  kind: 'fuse' | 'memory' | 'io' | 'lock' | 'nfs';
  /** What the task waited for, in words for the person on call. */
  meaning: string;
  frame: StackFrame;
}

const WAITS: { kind: WaitKind['kind']; re: RegExp; meaning: string }[] = [
  { kind: 'fuse', re: /^(request_wait_answer|fuse_\w+|__fuse_\w+)$/, meaning: 'waiting for a FUSE daemon (a user-space file system) to answer a request' },
  { kind: 'nfs', re: /^(rpc_wait_bit_killable|nfs_\w+|__rpc_execute)$/, meaning: 'waiting for an NFS server' },
  { kind: 'memory', re: /^(__alloc_pages\w*|wait_iff_congested|congestion_wait|throttle_direct_reclaim|try_to_free\w*pages|shrink_\w+|do_try_to_free_pages|balance_pgdat|mem_cgroup_\w*reclaim\w*|reclaim_throttle)$/, meaning: 'waiting for memory: it was allocating or reclaiming pages under memory pressure' },
  { kind: 'io', re: /^(io_schedule\w*|filemap_fault|wait_on_page_bit\w*|folio_wait_bit\w*|__lock_page\w*|__folio_lock\w*|bit_wait_io|wait_on_buffer|__wait_on_buffer|submit_bio_wait|blk_mq_get_tag|jbd2_\w+|wait_for_completion_io\w*)$/, meaning: 'waiting for disk IO (reading a page in, or writing one out)' },
  { kind: 'lock', re: /^(mutex_lock\w*|__mutex_lock\w*|rwsem_down_\w+|down_read\w*|down_write\w*|__down\w*|rt_mutex\w*|schedule_preempt_disabled)$/, meaning: 'waiting for a lock (a mutex or rw-semaphore) that another task holds' },
];

const RECLAIM = WAITS.find((x) => x.kind === 'memory')!;

// Each function name is matched against the five patterns once (memo.ts).
const waitByFn = new Map<string, (typeof WAITS)[number] | null>();
const waitEntry = (fn: string): (typeof WAITS)[number] | null => memo(waitByFn, fn, () => WAITS.find((x) => x.re.test(fn)) ?? null);

/**
 * Innermost frame that says what a blocked task waits for; null when the stack does not say.
 * An IO wait inside reclaim is a memory wait: cgroup v1 reclaim sleeps in folio_wait_writeback ←
 * shrink_folio_list until a page it wants to free is written (qemu 6.1 fixture), and the task is
 * there because memory ran short, the disk only sets the pace.
 */
export function waitOf(frames: readonly StackFrame[]): WaitKind | null {
  const fs = reliable(frames);
  for (const [i, f] of fs.entries()) {
    const w = waitEntry(f.fn);
    if (!w) continue;
    const reclaim = w.kind === 'io' ? fs.slice(i + 1).find((g) => RECLAIM.re.test(g.fn)) : undefined;
    if (reclaim) return { kind: 'memory', meaning: `waiting for memory: reclaiming pages, it waits in ${f.fn} for the disk to finish writing one it wants to free`, frame: reclaim };
    return { kind: w.kind, meaning: w.meaning, frame: f };
  }
  return null;
}

const PLUMBING = /^(dump_stack\w*|show_stack|__schedule|schedule\w*|watchdog_timer_fn|__hrtimer_run_queues|hrtimer_interrupt|smp_apic_timer_interrupt|apic_timer_interrupt|asm_\w+|sysvec_\w+|__sysvec_\w+|irq_exit\w*|__irq_exit_rcu|srso_\w+|entry_SYSCALL\w*|do_syscall_64|ret_from_fork\w*)$/;

/** The first frames that say what the CPU or task was doing (no unwinder guesses, no plumbing). */
export function topFrames(frames: readonly StackFrame[], n = 5): StackFrame[] {
  return reliable(frames).filter((f) => !PLUMBING.test(f.fn)).slice(0, n);
}
