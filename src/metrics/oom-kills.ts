import { analyze } from '../index.js';
import type { KmsgRecord } from '../live/kmsg-tail.js';
import type { OomKillIncident } from '../model/kernel-incidents.js';

export interface OomKill {
  /** The cgroup whose limit was hit, "/" for a machine-wide OOM. */
  cgroup: string;
  /** The killed process's name; "unknown" when the report does not name it. */
  program: string;
  seq: number;
}

/** The labels of one kill: the cgroup whose limit was hit ("/" machine-wide) and the victim's name. */
export function killLabels(k: OomKillIncident): { cgroup: string; program: string } {
  return { cgroup: k.cgroupOom ? k.memcg ?? k.taskMemcg ?? 'unknown' : '/', program: k.victim.comm ?? 'unknown' };
}

// Every wording of the victim line from 2.6 to 6.x ("Killed process", "Kill process", "Out of
// memory: Kill process"): cheap to look for, and only a batch holding one is worth a full parse.
const KILL_LINE = /Kill(?:ed)? process \d+/;

/**
 * Finds OOM kills in a stream of /dev/kmsg records with the same parser as `memtriage analyze`.
 * A kill is counted once, when its victim line has arrived (the report's header, task table and
 * oom-kill: line come before it). Memory is bounded: records already counted are dropped, and the
 * window keeps at most maxRecords (a report's task table has one line per process).
 */
export class OomKillTracker {
  private window: KmsgRecord[] = [];
  private pending = false;
  private lastCounted = -1;

  constructor(private readonly maxRecords = 50_000) {}

  add(records: KmsgRecord[]): void {
    for (const r of records) {
      if (r.seq <= this.lastCounted) continue;
      this.window.push(r);
      if (KILL_LINE.test(r.text)) this.pending = true;
    }
    if (this.window.length > this.maxRecords) this.window.splice(0, this.window.length - this.maxRecords);
  }

  /** New kills since the last call, in log order. */
  async take(): Promise<OomKill[]> {
    if (!this.pending) return [];
    this.pending = false;
    const lineRecord: number[] = [];
    for (const r of this.window) for (let i = 0; i < countLines(r.text); i++) lineRecord.push(r.seq);
    const text = this.window.map((r) => r.text).join('');
    const analysis = await analyze([{ name: 'kmsg', text }], { rules: [] });
    const kills: OomKill[] = [];
    for (const inc of analysis.incidents) {
      if (inc.kind !== 'oom_kill') continue;
      const k = inc as OomKillIncident;
      if (k.outcome === 'panic' || k.victim.line == null) continue;
      const seq = lineRecord[k.victim.line - 1];
      if (seq === undefined || seq <= this.lastCounted) continue;
      kills.push({ ...killLabels(k), seq });
    }
    kills.sort((a, b) => a.seq - b.seq);
    if (kills.length > 0) {
      this.lastCounted = kills[kills.length - 1].seq;
      this.window = this.window.filter((r) => r.seq > this.lastCounted);
    }
    return kills;
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
