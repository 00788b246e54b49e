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

/** A stat line's key as the JSON spells it, with its unit: the same few dozen names in every report. */
const MAX_STAT_KEYS = 1024;
let statKeys = new Map<string, string>();
function statKey(name: string): string {
  let k = statKeys.get(name);
  if (k === undefined) {
    if (statKeys.size >= MAX_STAT_KEYS) statKeys = new Map();
    k = counterKey(name, COUNT_KEY_RE.test(name) ? '' : 'Bytes');
    statKeys.set((' ' + name).slice(1), k); // a flat copy, not a slice of its line
  }
  return k;
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
    if (this.addStat(msg)) return true;
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
    const m = STAT_LINE_RE.exec(msg);
    if (!m) return false;
    this.stat(statKey(m[1]), Number(m[2]));
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
