import type { MemcgInfo } from '../../../model/kernel-incidents.js';
import { intern } from '../common/intern.js';
import { counterKey } from '../../keys.js';
import { RecordLayout } from '../common/records.js';

// "memory: usage 131072kB, limit 131072kB, failcnt 2933361" (also memory+swap:, kmem:, swap:)
const COUNTER_RE = /^\s*(memory|memory\+swap|kmem|swap|tcpmem):? usage (\d+)kB, limit (\d+)kB, failcnt (\d+)/;
// cgroup v1 before 4.19: "Task in /docker/abc killed as a result of limit of /docker"
const TASK_IN_RE = /^\s*Task in (\S+) killed as a result of limit of (\S+)/;
// "Memory cgroup stats for /mt:" then either "cache:0KB rss:65280KB …" on the same line (≤4.x) or
// one "key value" line per counter, values in bytes or counts (5.x+, v1 and v2 alike).
const STATS_RE = /^\s*Memory cgroup stats for ([^:]*):(.*)$/;
const STAT_LINE_RE = /^\s*([a-z_]+) (\d+)\s*$/;
// Counters that are event counts, not bytes (pgfault, workingset_refault_file, thp_fault_alloc …).
const COUNT_KEY_RE = /^(total_)?(pg|workingset_|thp_|numa_|zswp|ksm|hugetlb_|oom)/;

/** A stat line's key as the JSON spells it, with its unit (counterKey remembers the few dozen names). */
const statKey = (name: string): string => counterKey(name, COUNT_KEY_RE.test(name) ? '' : 'Bytes');

/**
 * The stat names read last at each place of a memory.stat list, and their keys: a node prints the
 * same names in the same order in every report, so a line is first checked for the name read at
 * its place last time (a comparison of characters), without STAT_LINE_RE, its captures and a
 * hashed lookup of the name. Bounded by the longest list (a few dozen names).
 */
const MAX_HINTS = 256;
const hintNames: string[] = [];
const hintKeys: string[] = [];

/**
 * The value of a stat line "NAME DIGITS" (spaces or tabs around) that has `name` at its place,
 * read as STAT_LINE_RE would; -1 when the line is not that, or has characters the pattern's \s
 * may take (then the pattern decides).
 */
function hintedValue(msg: string, name: string): number {
  let p = 0;
  while (p < msg.length && (msg.charCodeAt(p) === 32 || msg.charCodeAt(p) === 9)) p++;
  if (!msg.startsWith(name, p) || msg.charCodeAt(p + name.length) !== 32) return -1;
  const from = p + name.length + 1;
  let q = from;
  while (q < msg.length && msg.charCodeAt(q) >= 48 && msg.charCodeAt(q) <= 57) q++;
  if (q === from) return -1;
  let r = q;
  while (r < msg.length && (msg.charCodeAt(r) === 32 || msg.charCodeAt(r) === 9)) r++;
  return r === msg.length ? Number(msg.slice(from, q)) : -1;
}

/** STAT_LINE_RE's reading of a line: its key and value, or null (what addStat does without a hint; for tests). */
export function readStatLine(msg: string): [string, number] | null {
  const m = STAT_LINE_RE.exec(msg);
  return m ? [statKey(m[1]), Number(m[2])] : null;
}

/** The memory.stat records' layout: the same keys in every report of a node. */
const STATS = new RecordLayout();

export class MemcgBuilder {
  readonly info: MemcgInfo = { counters: [], taskIn: null, limitOf: null, stats: {}, statsFor: null };
  /** memory.stat as read (`info.stats` is made from them by result()). */
  private readonly statKeys: string[] = [];
  private readonly statValues: number[] = [];
  private inStats = false;
  seen = false;

  add(msg: string, line: number): boolean {
    let m = COUNTER_RE.exec(msg);
    if (m) {
      this.info.counters.push({ name: intern(m[1]), usageKb: Number(m[2]), limitKb: Number(m[3]), failcnt: Number(m[4]), line });
      return (this.seen = true);
    }
    if ((m = TASK_IN_RE.exec(msg))) {
      this.info.taskIn = m[1];
      this.info.limitOf = m[2];
      return (this.seen = true);
    }
    if ((m = STATS_RE.exec(msg))) {
      this.info.statsFor = m[1];
      const inline = m[2].trim();
      if (inline) {
        for (const t of inline.matchAll(/([a-z_]+):(\d+)(KB|kB)?/g)) this.stat(counterKey(t[1], t[3] ? 'Kb' : ''), Number(t[2]));
      } else this.inStats = true;
      return (this.seen = true);
    }
    // A stat line never gets here: the report reader tried addStat on this line first.
    this.inStats = false;
    return false;
  }

  /**
   * A memory.stat line of the list being read ("anon 1234"). The report reader tries it before
   * the others: half the lines of a cgroup v2 report, and none that another reader takes looks like
   * one (a lowercase word and a number: no "+0x", "[", "CPU:" or "invoked oom-killer").
   */
  addStat(msg: string): boolean {
    if (!this.inStats) return false;
    const at = this.statKeys.length;
    const hint = hintNames[at];
    if (hint !== undefined) {
      const v = hintedValue(msg, hint);
      if (v !== -1) {
        this.stat(hintKeys[at], v);
        return true;
      }
    }
    const m = STAT_LINE_RE.exec(msg);
    if (!m) return false;
    const key = statKey(m[1]);
    if (at < MAX_HINTS) {
      hintNames[at] = intern(m[1]); // a flat copy, not a slice of its line
      hintKeys[at] = key;
    }
    this.stat(key, Number(m[2]));
    return true;
  }

  private stat(key: string, value: number): void {
    this.statKeys.push(key);
    this.statValues.push(value);
  }

  /** What was read, its stats made into their record (common/records.ts). */
  result(): MemcgInfo {
    this.info.stats = STATS.make(this.statKeys, this.statValues);
    return this.info;
  }
}
