import type { OomKillIncident, StackFrame, ZoneInfo } from '../../../model/kernel-incidents.js';
import { packFrames } from '../common/packed-frames.js';
import { fastRecord } from '../common/records.js';
import { sharedList, shortString as s } from '../common/shared.js';

/**
 * An OOM incident made compact in place, once read: what common/fast-record.ts's generic walk does
 * to any incident (counter records rebuilt with fast properties, every array replaced by an exact
 * copy or a shared frozen list, short strings by their shared copy, the trace packed), done field
 * by field for the fields parseOomReport fills. The generic walk visited every key of every object
 * (a task row, a frame, 40 counters) to find the few strings and arrays: a third of the OOM
 * parser's time on a 1 GiB log (issue 10). The JSON is the same bytes; only memory is shared.
 * A field added to the OOM incident that holds an array or a string belongs here too
 * (test/parse/kernel/oom/compact.test.ts compares this with the generic walk).
 */
export function compactOom(inc: OomKillIncident): void {
  if (inc.memInfo) inc.memInfo = fastRecord(inc.memInfo);
  const k = inc.kernel;
  if (k && !Object.isFrozen(k)) { k.version = s(k.version); k.taint = s(k.taint); }
  const t = inc.trigger;
  t.comm = s(t.comm);
  t.gfpMask = s(t.gfpMask);
  if (t.gfpFlags) t.gfpFlags = strings(t.gfpFlags);
  t.nodemask = s(t.nodemask);
  inc.constraint = s(inc.constraint);
  inc.memcg = s(inc.memcg);
  inc.taskMemcg = s(inc.taskMemcg);
  inc.victim.comm = s(inc.victim.comm);
  inc.victims = named(inc.victims, 'comm');
  inc.oomGroup = s(inc.oomGroup);
  const r = inc.memInfoReport;
  if (r) {
    const nodes = r.nodes.slice();
    for (const n of nodes) n.counters = fastRecord(n.counters);
    r.nodes = nodes;
    r.hugepages = r.hugepages.slice();
  }
  inc.zones = zones(inc.zones);
  const pt = inc.processTable;
  if (pt) {
    pt.top = named(pt.top, 'comm');
    pt.columns = strings(pt.columns);
    pt.all = named(pt.all, 'comm');
  }
  const m = inc.memcgInfo;
  if (m) {
    m.stats = fastRecord(m.stats);
    m.counters = named(m.counters, 'name');
    m.taskIn = s(m.taskIn);
    m.limitOf = s(m.limitOf);
    m.statsFor = s(m.statsFor);
  }
  if (inc.unreclaimableSlab) inc.unreclaimableSlab = named(inc.unreclaimableSlab, 'name');
  inc.hardware = s(inc.hardware);
  // Packed, the trace's frames are each kept once for the process; else (a full frame table, or
  // an incident rebuilt from JSON) an exact copy with shared strings, as any other array.
  if (!packFrames(inc)) inc.callTrace = frames(inc.callTrace);
}

/** An exact copy of list whose items' `key` strings are the shared copies. */
function named<K extends string, T extends { [k in K]: string | null }>(list: T[], key: K): T[] {
  const out = list.slice();
  for (const x of out) (x as Record<K, string | null>)[key] = s(x[key]);
  return out;
}

/** The shared frozen list, or an exact copy with shared strings (a buddy line's types hold nulls). */
function strings<T extends string | null>(v: T[]): T[] {
  return (sharedList(v) as T[] | null) ?? v.map((x) => s(x));
}

function zones(list: ZoneInfo[]): ZoneInfo[] {
  const out = list.slice();
  for (const z of out) {
    z.zone = s(z.zone);
    z.counters = fastRecord(z.counters);
    if (z.lowmemReservePages) z.lowmemReservePages = z.lowmemReservePages.slice();
    const b = z.buddy;
    if (b) {
      b.counts = b.counts.slice();
      b.types = strings(b.types);
    }
  }
  return out;
}

function frames(list: StackFrame[]): StackFrame[] {
  const out = list.slice();
  for (const f of out) { f.fn = s(f.fn); f.offset = s(f.offset); f.module = s(f.module); }
  return out;
}
