/**
 * Copies of an OOM report that mergeCopies (dedup.ts) will certainly drop, told as soon as the
 * report is read, so they do not hold their call trace, task table and memcg stats (≈ 6 KB each)
 * and their ≈ 85 lines of evidence until the end of the input. A log that holds one report 50,000
 * times (a console capture looping over `dmesg`, a syslog relay replaying its queue) otherwise
 * peaks at 1.4 GB to print one incident.
 *
 * "Certainly" is narrower than dedup's rule, on purpose: an OOM kill with its "Killed process"
 * line and a kernel clock, after one of the same input with the same identity (victim pid, comm,
 * sizes), a "Killed process" line, no cut, and the very same uptime to the microsecond, read
 * before it (on an earlier line, or earlier on the same one). dedup then keeps that earlier one
 * (or another whole copy of the same instant), never this one, and nothing read after it can
 * change that: panic_on_oom marking (kernel-log.ts) only touches reports without a "Killed
 * process" line, and a later oom_reaper line on this copy's pid is dropped with it today as well.
 * The copy stays in the list as a small stub, so dedup still records where it was (`copies`) and
 * the neighbours the kernel-log parser looks at are unchanged.
 */
import type { KernelIncident, OomKillIncident } from '../model/kernel-incidents.js';
import { identity } from './dedup.js';

/** Whole OOM reports read so far: identity → uptimes (s) and first lines. */
export class EarlyCopies {
  /** identity → uptime (s) → first line of a whole report with that identity at that instant. */
  private readonly whole = new Map<string, Map<number, number>>();

  /**
   * A small stand-in for `inc` when it is a copy dedup will drop (its lines then need not be kept
   * as evidence), else null.
   */
  shed(inc: KernelIncident): KernelIncident | null {
    if (inc.kind !== 'oom_kill' || inc.uptimeSec == null || inc.victim.line == null) return null;
    const key = identity(inc);
    if (key == null) return null;
    let seen = this.whole.get(key);
    const first = seen?.get(inc.uptimeSec);
    // On the same line too: a folded line can hold many copies (pasted console output), and
    // incidents keep their reading order among equal lines (the sorts are stable), so the one
    // recorded came first. (Held as strict, 6,756 copies on one 50 MB line stayed whole to the end.)
    if (first !== undefined && first <= inc.line) return stub(inc);
    if (!inc.partial && (first === undefined || inc.line < first)) {
      if (!seen) this.whole.set(key, (seen = new Map()));
      seen.set(inc.uptimeSec, inc.line);
    }
    return null;
  }
}

/**
 * What stands in for a shed copy until dedup drops it (≈ 0.4 KB instead of ≈ 2.9 KB once the
 * payload is gone): what dedup reads (identity, clock, cut, place) and what the kernel-log
 * parser's last pass reads (kind, victim line and pid, where oom_reaper attaches; the kernel it
 * may lend its neighbours).
 */
function stub(inc: OomKillIncident): OomKillIncident {
  const t = inc.trigger, v = inc.victim;
  return {
    kind: 'oom_kill', input: inc.input, line: inc.line, endLine: inc.endLine, time: inc.time, timeText: null, uptimeSec: inc.uptimeSec, partial: inc.partial,
    kernel: inc.kernel, constraint: null, memcg: null, taskMemcg: null, cgroupOom: inc.cgroupOom, manual: inc.manual, oomGroup: null,
    trigger: { comm: t.comm, pid: t.pid, gfpMask: t.gfpMask, gfpFlags: null, order: t.order, oomScoreAdj: null, nodemask: null, line: t.line },
    victim: { pid: v.pid, comm: v.comm, totalVmKb: v.totalVmKb, anonRssKb: v.anonRssKb, fileRssKb: null, shmemRssKb: null, pgtablesKb: null, uid: null, oomScoreAdj: null, score: null, reaped: null, line: v.line },
    victims: [], memInfo: null, memInfoReport: null, zones: [], processTable: null, memcgInfo: null, callTrace: [], hardware: null, pageSizeKb: null,
  };
}
