import type { KernelIncident } from '../model/kernel-incidents.js';

/** Width of an uptime bucket, in seconds: more than any slack dedup allows (5 s). */
const BUCKET_SEC = 8;

/**
 * The kept incidents of one identity (dedup.ts), in the order they were kept, with an index by
 * kernel uptime. dedup wants the first of them that is the same record as a new one; a record
 * with an uptime can only be the same as one whose uptime is within a few seconds of it (or one
 * without an uptime), so only those are looked at. Scanning them all was quadratic: a task killed
 * 8,000 times (same pid, 30 s apart) took 10 s of comparisons.
 */
export class SeenByClock {
  readonly list: KernelIncident[] = [];
  private readonly byBucket = new Map<number, number[]>();
  private readonly noUptime: number[] = [];

  push(inc: KernelIncident): void {
    this.index(inc, this.list.length);
    this.list.push(inc);
  }

  /** Puts `inc` in the place of the incident at `at` (dedup keeps a whole copy instead of a cut one). */
  replace(at: number, inc: KernelIncident): void {
    const old = this.list[at];
    const from = old.uptimeSec == null ? this.noUptime : this.byBucket.get(bucket(old.uptimeSec))!;
    from.splice(from.indexOf(at), 1);
    this.list[at] = inc;
    this.index(inc, at);
  }

  /**
   * The place of the first kept incident (in keeping order) that `isSame` accepts, or -1. For a
   * record with an uptime, `slackSec` must bound how far apart two uptimes may be when `isSame`
   * accepts them by uptime.
   */
  firstSame(inc: KernelIncident, slackSec: number, isSame: (s: KernelIncident) => boolean): number {
    if (inc.uptimeSec == null) return this.list.findIndex(isSame);
    let first = -1;
    const take = (i: number) => { if ((first === -1 || i < first) && isSame(this.list[i])) first = i; };
    for (let b = bucket(inc.uptimeSec - slackSec - 1); b <= bucket(inc.uptimeSec + slackSec + 1); b++) for (const i of this.byBucket.get(b) ?? []) take(i);
    for (const i of this.noUptime) take(i);
    return first;
  }

  private index(inc: KernelIncident, at: number): void {
    if (inc.uptimeSec == null) { this.noUptime.push(at); return; }
    const b = bucket(inc.uptimeSec);
    const list = this.byBucket.get(b);
    if (list) list.push(at);
    else this.byBucket.set(b, [at]);
  }
}

function bucket(sec: number): number {
  return Math.floor(sec / BUCKET_SEC);
}
