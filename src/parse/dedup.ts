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
import { SeenByClock } from './seen-by-clock.js';

/** What makes two reports the same event, per kind; null: never merged (snapshots, sysrq dumps). */
export function identity(i: Incident): string | null {
  switch (i.kind) {
    case 'oom_kill': {
      // By its victim, so a copy cut before its header still meets the whole one.
      const t = i.trigger, v = i.victim;
      if (v.pid != null) return JSON.stringify(['victim', v.pid, v.comm, v.totalVmKb, v.anonRssKb]);
      return t.comm == null ? null : JSON.stringify(['trigger', t.comm, t.pid, t.order, t.gfpMask]);
    }
    case 'page_alloc_failure': return JSON.stringify([i.comm, i.pid, i.order, i.gfpMask]);
    case 'hung_task': return JSON.stringify([i.comm, i.pid, i.seconds]);
    case 'soft_lockup': return JSON.stringify([i.cpu, i.seconds, i.comm, i.pid]);
    case 'rcu_stall': return JSON.stringify([i.flavor, i.expedited, i.cpus]);
    case 'warning': case 'bug': case 'oops': case 'panic': return JSON.stringify([i.message, i.comm, i.pid, i.location]);
    default: return null;
  }
}

/** How far apart (s) the clocks of two copies may be: an OOM report's copies may start at different lines. */
const slackSecOf = (kind: string): number => (kind === 'oom_kill' ? 5 : 0);

/**
 * Whether two reports carry the same clock: true, false, or null when they share none. An OOM
 * report's copies may start at different lines (one cut before its header), so for it the clocks
 * need only be within 5 s: a report takes well under that to print, even on a slow serial console.
 */
function sameClock(a: KernelIncident, b: KernelIncident): boolean | null {
  const slackSec = slackSecOf(a.kind);
  // A wall echo without the printk time has no clock of its own; only two different uptimes tell
  // it from the report it echoes (log/wall-echo.ts).
  if ((a.echo != null || b.echo != null) && (a.uptimeSec == null || b.uptimeSec == null)) return true;
  if (a.uptimeSec != null && b.uptimeSec != null) return Math.abs(a.uptimeSec - b.uptimeSec) <= slackSec + 1e-6;
  const ta = a.time != null ? Date.parse(a.time) : NaN;
  const tb = b.time != null ? Date.parse(b.time) : NaN;
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
  const firstByKey = new Map<string, SeenByClock>();
  const out: Incident[] = [];
  // Order of the kept kernel incidents, and per input the last one a copy from it went into.
  const seq = new Map<KernelIncident, number>();
  const runOf = new Map<number, number>();
  let kept = 0;
  for (const inc of incidents) {
    const key = identity(inc);
    if (key == null) { out.push(inc); continue; }
    const k = inc as KernelIncident;
    let seen = firstByKey.get(inc.kind + key);
    if (!seen) firstByKey.set(inc.kind + key, (seen = new SeenByClock()));
    const at = seen.firstSame(k, slackSecOf(k.kind), (s) => {
      const clock = sameClock(s, k);
      return clock === true || (clock === null && (k.kind === 'oom_kill' || runOf.get(k.input) === seq.get(s)! - 1));
    });
    if (at !== -1) {
      const same = seen.list[at];
      // The whole copy is kept rather than the first when the first was cut off (the console and
      // rsyslog cut long records; a paste may start mid-report).
      const [keep, drop] = same.partial && !k.partial ? [k, same] : [same, k];
      // Appended in place (keep's, then drop's, then drop): a copy of the whole list per merge was
      // quadratic (50,000 copies of one report: 1.25 billion elements copied).
      const list = keep.copies ?? drop.copies ?? [];
      if (list !== drop.copies && drop.copies) for (const c of drop.copies) list.push(c);
      list.push({ input: drop.input, line: drop.line, endLine: drop.endLine });
      keep.copies = list;
      delete drop.copies;
      if (keep !== same) {
        out[out.indexOf(same)] = keep;
        seen.replace(at, keep);
        seq.set(keep, seq.get(same)!);
      }
      runOf.set(k.input, seq.get(keep)!);
      continue;
    }
    seen.push(k);
    seq.set(k, kept++);
    runOf.delete(k.input);
    out.push(inc);
  }
  return out;
}
