/**
 * The same kernel record seen twice is one incident. A paste often holds two copies of a report:
 * the console's and the syslog's, `dmesg` typed on the serial console the report was printed on,
 * or two inputs (dmesg.txt and kern.log) of one machine. Copies are told apart from repeats (a
 * task hung again, the next RCU stall on the same CPU) by the kernel's clock: the same uptime to
 * the microsecond, or, where a copy has none, the same wall clock within 2 s (rsyslog and journald
 * stamp a record when they read it). An OOM kill names its victim, who dies once: its copies also
 * merge when the copies share no clock, and so does a wall broadcast echo (rsyslog writing an
 * emergency to every terminal: one line, a copy by nature). The first whole copy is kept; the
 * others' lines go in `copies`.
 */
import type { Incident } from '../model/incident.js';
import type { KernelIncident } from '../model/kernel-incidents.js';
import { kindOfIncident } from './kernel/registry.js';

/** What makes two reports the same event: its kind module says (identity); null: never merged (snapshots, sysrq dumps). */
export function identity(i: Incident): string | null {
  const kind = kindOfIncident(i.kind);
  return kind?.identity ? kind.identity(i as KernelIncident) : null;
}

/**
 * Whether two reports carry the same clock: true, false, or null when they share none. An OOM
 * report's copies may start at different lines (one cut before its header), so for it the clocks
 * need only be within 5 s: a report takes well under that to print, even on a slow serial console.
 */
function sameClock(a: KernelIncident, b: KernelIncident, timeMs: (i: KernelIncident) => number): boolean | null {
  const slackSec = kindOfIncident(a.kind)?.copySlackSec ?? 0;
  // A wall echo without the printk time has no clock of its own; only two different uptimes tell
  // it from the report it echoes (log/wall-echo.ts).
  if ((a.echo != null || b.echo != null) && (a.uptimeSec == null || b.uptimeSec == null)) return true;
  if (a.uptimeSec != null && b.uptimeSec != null) return Math.abs(a.uptimeSec - b.uptimeSec) <= slackSec + 1e-6;
  const ta = timeMs(a);
  const tb = timeMs(b);
  if (!Number.isNaN(ta) && !Number.isNaN(tb)) return Math.abs(ta - tb) <= (slackSec + 2) * 1000;
  return null;
}

/**
 * Returns the incidents with copies merged into their first occurrence (order kept). Without a
 * common clock only an OOM kill (its victim dies once) is taken for a copy by itself; another
 * kind is a copy when it continues a run of copies: the incident of its input just before it was
 * merged into the incident just before its match (the journal copy of a stall that follows the
 * journal copy of an OOM, after the dmesg copies of both).
 */
export function mergeCopies(incidents: readonly Incident[]): Incident[] {
  const byKey = new Map<string, Seen>();
  const out: Incident[] = [];
  // Order of the kept kernel incidents, and per input the last one a copy from it went into.
  const seq = new Map<KernelIncident, number>();
  const runOf = new Map<number, number>();
  let kept = 0;
  // Each incident's wall clock parsed once: a report repeated n times is compared often.
  const parsed = new Map<KernelIncident, number>();
  const timeMs = (i: KernelIncident): number => {
    let t = parsed.get(i);
    if (t === undefined) parsed.set(i, t = i.time != null ? Date.parse(i.time) : NaN);
    return t;
  };
  for (const inc of incidents) {
    const key = identity(inc);
    if (key == null) { out.push(inc); continue; }
    const k = inc as KernelIncident;
    let seen = byKey.get(inc.kind + key);
    if (!seen) byKey.set(inc.kind + key, seen = new Seen());
    const at = seen.first(k, (s) => {
      const clock = sameClock(s, k, timeMs);
      return clock === true || (clock === null && (kindOfIncident(k.kind)?.identityIsUnique === true || runOf.get(k.input) === seq.get(s)! - 1));
    });
    if (at !== -1) {
      const same = seen.list[at];
      // The whole copy is kept rather than the first when the first was cut off (the console and
      // rsyslog cut long records; a paste may start mid-report).
      const [keep, drop] = same.partial && !k.partial ? [k, same] : [same, k];
      const copies = keep.copies ?? [];
      for (const c of drop.copies ?? []) copies.push(c); // pushed one by one: 20,000 copies of one report
      copies.push({ input: drop.input, line: drop.line, endLine: drop.endLine });
      keep.copies = copies;
      delete drop.copies;
      if (keep !== same) {
        out[out.indexOf(same)] = keep;
        seen.replace(at, keep);
        seq.set(keep, seq.get(same)!);
      }
      runOf.set(k.input, seq.get(keep)!);
      continue;
    }
    seen.add(k);
    seq.set(k, kept++);
    runOf.delete(k.input);
    out.push(inc);
  }
  return out;
}

/** Slack wider than any sameClock allows between two uptimes (5 s for an OOM kill). */
const UPTIME_WINDOW_SEC = 6;

/**
 * The kept incidents of one identity, in order, with those that have an uptime also sorted by
 * it: a report with an uptime can only be a copy of one whose uptime is within seconds of its
 * own (or of one with no uptime), so 50,000 repeats of one OOM report are not compared pairwise.
 */
class Seen {
  readonly list: KernelIncident[] = [];
  /** [uptime, position in list] of the kept incidents that have an uptime, sorted by uptime. */
  private readonly timed: [number, number][] = [];
  /** Positions of those without one (or with NaN), ascending. */
  private readonly untimed: number[] = [];

  /** Position of the first kept incident `same` accepts, or -1 (the same answer as list.findIndex). */
  first(k: KernelIncident, same: (s: KernelIncident) => boolean): number {
    if (!Number.isFinite(k.uptimeSec)) return this.list.findIndex(same);
    let best = -1;
    const u = k.uptimeSec!;
    for (let i = this.lowerBound(u - UPTIME_WINDOW_SEC); i < this.timed.length && this.timed[i][0] <= u + UPTIME_WINDOW_SEC; i++) {
      const at = this.timed[i][1];
      if ((best === -1 || at < best) && same(this.list[at])) best = at;
    }
    for (const at of this.untimed) {
      if (best !== -1 && at > best) break;
      if (same(this.list[at])) return at;
    }
    return best;
  }

  add(k: KernelIncident): void {
    this.list.push(k);
    this.index(k, this.list.length - 1);
  }

  replace(at: number, k: KernelIncident): void {
    const old = this.list[at];
    if (Number.isFinite(old.uptimeSec)) this.timed.splice(this.timed.findIndex((e) => e[1] === at), 1);
    else this.untimed.splice(this.untimed.indexOf(at), 1);
    this.list[at] = k;
    this.index(k, at);
  }

  private index(k: KernelIncident, at: number): void {
    if (Number.isFinite(k.uptimeSec)) {
      const i = this.lowerBound(k.uptimeSec!);
      this.timed.splice(i, 0, [k.uptimeSec!, at]);
      return;
    }
    let i = this.untimed.length;
    while (i > 0 && this.untimed[i - 1] > at) i--;
    this.untimed.splice(i, 0, at);
  }

  /** First index of `timed` whose uptime is >= u. */
  private lowerBound(u: number): number {
    let lo = 0, hi = this.timed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timed[mid][0] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
