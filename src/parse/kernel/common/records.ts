// Counter records with fast properties (oom/compact.ts, fast-record.ts and the parsers that read counters).

/**
 * Counter records (memory.stat, Mem-Info, zone and node counters) are filled key by key with
 * computed names, and V8 turns such an object into a hash table once it passes ≈ 16 keys (the
 * soft limit for keyed stores), or at its first `delete`: a 40-counter memory.stat then costs
 * ≈ 1.6 KB per report. A copy of a record JSON.parse built has fast properties, and every object
 * with the same keys in the same order shares one hidden class (≈ 0.4 KB for 40 counters).
 * 50,000 memcg OOM reports hold 50,000 of them until the report is written (issue 10).
 *
 * Same keys, same order, same values, so the JSON written is the same bytes. A record holding a
 * value that is not a finite number (Infinity from an absurdly long digit run) is kept as it is.
 */
export function fastRecord<T extends Record<string, number>>(rec: T): T {
  if (madeLately(rec)) return rec; // made here just now (by a RecordLayout, or compacted twice)
  let n = 0;
  let names = '';
  for (const k in rec) {
    if (!Number.isFinite(rec[k])) return rec;
    if (k.includes('\n')) return JSON.parse(JSON.stringify(rec)) as T; // never a parser's name
    names += n === 0 ? k : '\n' + k;
    n++;
  }
  // A few keys stay fast anyway; the copy would cost more than it saves.
  if (n < 8) return rec;
  // Copied from a record of the same keys made once by JSON.parse (the spread keeps its fast
  // properties), then given this record's values: the text round trip for every record was a
  // third of the compaction's time (issue 10). Its keys joined by "\n" name the layout.
  let template = templates.get(names);
  if (template === undefined) {
    if (templates.size >= MAX_TEMPLATES) templates = new Map();
    template = JSON.parse(JSON.stringify(rec)) as Record<string, number>;
    templates.set(names, template);
  }
  const out: Record<string, number> = { ...template };
  for (const k in rec) out[k] = rec[k];
  remember(out);
  return out as T;
}

/**
 * The last records made here, already fast: a report's records are compacted right after it is
 * read, so a few suffice (a set of every record made would grow with the log).
 */
const lately: (object | null)[] = new Array(16).fill(null);
let next = 0;

function remember(rec: object): void {
  lately[next] = rec;
  next = (next + 1) % lately.length;
}

function madeLately(rec: object): boolean {
  for (let i = 0; i < lately.length; i++) if (lately[i] === rec) return true;
  return false;
}

/** Records' key lists seen (a kernel prints the same few layouts again and again), bounded. */
const MAX_TEMPLATES = 1024;
let templates = new Map<string, Record<string, number>>();

/**
 * A counter record read line by line (a memory.stat of ≈ 40 lines) is collected as keys and values
 * and made into its record once complete: no hash table filled key by key, then copied (issue 10).
 * One layout per kind of record remembers the last record's keys: a node prints the same keys in
 * the same order in every report, so the next record is the same template filled again, told by
 * comparing keys (the names from keys.ts's counterKey are the same strings each time).
 */
export class RecordLayout {
  private keys: readonly string[] = [];
  private template: Record<string, number> | null = null;

  /**
   * The record of these keys and values, in order, the same as one filled key by key: a key
   * that comes again keeps its first place and takes the later value.
   */
  make(keys: readonly string[], values: readonly number[]): Record<string, number> {
    const template = this.template;
    let same = template !== null && keys.length === this.keys.length;
    for (let i = 0; same && i < keys.length; i++) same = keys[i] === this.keys[i];
    // (Values are stored, not written as text: Infinity from an absurd digit run stays Infinity.)
    if (same) {
      const out: Record<string, number> = { ...template };
      for (let i = 0; i < keys.length; i++) out[keys[i]] = values[i];
      remember(out);
      return out;
    }
    const rec: Record<string, number> = {};
    for (let i = 0; i < keys.length; i++) rec[keys[i]] = values[i];
    const fast = fastRecord(rec);
    // Kept as built (a few keys, a value JSON cannot carry): nothing to copy from next time.
    // Its own copy: the incident's record may be changed by whoever reads it.
    if (fast !== rec) { this.keys = keys.slice(); this.template = { ...fast }; }
    return fast;
  }
}
