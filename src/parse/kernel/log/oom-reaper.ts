import type { KernelIncident, OomKillIncident } from '../../../model/kernel-incidents.js';
import type { KernelLine } from '../../types.js';
import { REAPER_RE, kbField } from '../oom/lines.js';
import { firstNonSpace } from '../../../read/blank.js';

type Reaped = NonNullable<OomKillIncident['victim']['reaped']>;

/** REAPER_RE (oom/lines.ts) reads /^\s*oom_reaper: …/: then a message must start with "o". */
const REAPER_STARTS_WITH_O = REAPER_RE.source.startsWith('^\\s*oom_reaper: ');

/**
 * "oom_reaper: reaped process 1439 (tor), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB" comes
 * after its OOM report, often after other lines: what it says is kept aside while reading and
 * attached at the end to the last kill of its pid at or before it. Its numbers, not the line: a
 * message is a slice of the line it was read from, and V8 keeps the whole of that alive for it
 * (6,756 reaper lines kept the 4 MiB pieces of a 50 MB folded line, 48 MB, to the end).
 */
export class OomReaperLines {
  private readonly reaps: { pid: number; reaped: Reaped }[] = [];

  /** Takes the line when it is an oom_reaper line. */
  take(l: KernelLine): boolean {
    // Every line is offered: only one whose message starts with the pattern's "o" is tried.
    const c = firstNonSpace(l.msg);
    if (REAPER_STARTS_WITH_O && c !== 111 && c !== -1) return false;
    const m = REAPER_RE.exec(l.msg);
    if (!m) return false;
    const rest = m[3];
    this.reaps.push({ pid: Number(m[1]), reaped: { anonRssKb: kbField(rest, 'anon-rss'), fileRssKb: kbField(rest, 'file-rss'), shmemRssKb: kbField(rest, 'shmem-rss'), line: l.line } });
    return true;
  }

  /**
   * Kills are indexed by pid once (sorted by line), so 10,000 kills with 10,000 reaper lines cost a
   * lookup each, not a scan of every incident per reaper line.
   */
  attach(incidents: readonly KernelIncident[]): void {
    if (this.reaps.length === 0) return;
    const byPid = new Map<number, OomKillIncident[]>();
    for (const x of incidents) {
      if (x.kind !== 'oom_kill' || x.victim.pid == null) continue;
      const list = byPid.get(x.victim.pid);
      if (list) list.push(x);
      else byPid.set(x.victim.pid, [x]);
    }
    for (const list of byPid.values()) list.sort((a, b) => a.line - b.line);
    for (const r of this.reaps) {
      const target = lastAtOrBefore(byPid.get(r.pid), r.reaped.line);
      if (target) target.victim.reaped = r.reaped;
    }
  }
}

/** The last kill (list sorted by line) whose report starts at or before `line`: binary search. */
function lastAtOrBefore(list: OomKillIncident[] | undefined, line: number): OomKillIncident | undefined {
  if (!list) return undefined;
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].line <= line) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1] : undefined;
}
