import type { Problem } from '../../model/common.js';
import type { KernelIncident, OomKillIncident, PageAllocFailureIncident, SysrqIncident } from '../../model/kernel-incidents.js';
import type { KernelLine } from '../types.js';
import type { LineStore } from '../../read/line-store.js';
import { attachMemInfo, parseAllocFailure } from './alloc-failure.js';
import { baseOf } from './block-base.js';
import { parseHungTask } from './hung-task.js';
import { parseKernelError } from './kernel-error.js';
import { type BlockKind, startKind } from './markers.js';
import { MemInfoBuilder } from './mem-info.js';
import { KILLED_RE, REAPER_RE, kbField } from './oom-lines.js';
import { parseOomReport } from './oom-report.js';
import { parseRcuStall } from './rcu-stall.js';
import { isReportLine } from './report-lines.js';
import { parseSoftLockup } from './soft-lockup.js';
import { parseSysrq } from './sysrq.js';

/** `ending`: its last line was read; it closes at the next line unless that is the wrapped rest. */
interface Block { kind: BlockKind; lines: KernelLine[]; pending: KernelLine[]; misses: number; ending: boolean; lastPieceLength: number }

/**
 * A mail client (or a terminal) wrapped a long kernel line: the rest arrives on the next line
 * without the kernel prefix. Rejoined only inside an open report, right after a prefixed line that
 * the piece's first word would not have fitted on, when the piece is plain ASCII text that is not
 * a code fence, a blank or a line of its own kind (a prefixed or console kernel line).
 */
function isWrapContinuation(prev: KernelLine | undefined, prevLength: number, l: KernelLine): boolean {
  if (!prev?.prefixed || l.prefixed) return false; // only a bare piece right after a kernel line
  const t = l.text.replace(/^(?:>\s?)+/, '');
  // Word wrap's signature: the next word would not have fitted (mail wraps at 72–80 columns).
  const firstWord = /^\s*(\S*)/.exec(t)![1];
  if (prevLength + 1 + firstWord.length <= 72 || prevLength > 100 || t.length > 100) return false;
  return /^[\x20-\x7e]+$/.test(t) && t.trim() !== '' && !/^\s*(?:```|#|\$ |[A-Z][a-z]+ [a-z]+ [a-z]+ )/.test(t);
}

/** Unknown lines a report may hold before it is taken as ended (other messages interleave). */
const TOLERANCE: Partial<Record<BlockKind, number>> = { oom: 8, alloc: 2, sysrq: 2, rcu: 3, error: 2, lockup: 2, hung: 1 };
const MAX_BLANKS = 3;

/**
 * Groups the kernel lines of one input into reports and reads each. Streaming: holds only the
 * open reports. push() returns the lines no report claimed, so section parsers can look at them.
 * One report can be open per printk caller: kernels built with CONFIG_PRINTK_CALLER tag each line
 * with the task or CPU that printed it, which is how reports two CPUs printed at once are told
 * apart. Without caller ids every line has the same (empty) key: one open report at a time.
 */
export class KernelLogParser {
  readonly incidents: KernelIncident[] = [];
  readonly problems: Problem[] = [];
  private readonly blocks = new Map<string, Block>();
  /** Callers printing an NMI backtrace for another caller's report, until that report closes. */
  private readonly nmiOwner = new Map<string, string>();
  private reaps: { pid: number; line: KernelLine }[] = [];

  constructor(private readonly store?: LineStore) {}

  get idle(): boolean {
    return this.blocks.size === 0;
  }

  push(l: KernelLine): KernelLine[] {
    if (REAPER_RE.test(l.msg)) { this.store?.add(l.input, l.line, l.text); this.reaps.push({ pid: Number(REAPER_RE.exec(l.msg)![1]), line: l }); return []; }
    const kind = startKind(l.msg);
    const key = this.keyOf(l);
    const b = this.blocks.get(key);
    if (!b) return kind ? this.open(key, kind, l) : [l];
    if (!kind && b.pending.length === 0 && isWrapContinuation(b.lines[b.lines.length - 1], b.lastPieceLength, l)) {
      const last = b.lines[b.lines.length - 1];
      b.lastPieceLength = l.text.length;
      const join = (a: string): string => `${a.replace(/\s+$/, '')} ${l.text.trim()}`;
      b.lines[b.lines.length - 1] = { ...last, msg: join(last.msg), text: join(last.text) };
      if (this.endsHere(b, b.lines[b.lines.length - 1].msg)) b.ending = true;
      return [];
    }
    if (b.ending) return [...this.close(key), ...this.push(l)];
    if (kind && !this.belongs(b, kind, l.msg)) return [...this.close(key), ...this.open(key, kind, l)];
    const blank = l.msg.trim() === '';
    if (kind || (!blank && isReportLine(l.msg))) {
      b.lines.push(...b.pending, l);
      b.lastPieceLength = l.text.length;
      b.pending = [];
      b.misses = 0;
      if (this.endsHere(b, l.msg)) b.ending = true;
      return [];
    }
    b.pending.push(l);
    if (blank ? b.pending.length > MAX_BLANKS : ++b.misses > (TOLERANCE[b.kind] ?? 0)) return this.close(key);
    return [];
  }

  /**
   * The open report a line belongs to: its caller's. Except NMI backtraces: an RCU stall or sysrq
   * asks the other CPUs for their stacks and each prints its own from NMI context (under its own
   * caller id); those lines belong to the report that asked.
   */
  private keyOf(l: KernelLine): string {
    const own = l.caller ?? '';
    if (!l.caller || !/NMI backtrace for cpu|sysrq: CPU\d+:/.test(l.msg)) return this.nmiOwner.get(own) ?? own;
    for (const [key, b] of this.blocks) {
      if (key !== own && (b.kind === 'rcu' || b.kind === 'sysrq')) {
        this.nmiOwner.set(own, key);
        return key;
      }
    }
    this.nmiOwner.delete(own);
    return own;
  }

  finish(): { incidents: KernelIncident[]; problems: Problem[]; released: KernelLine[] } {
    const open = [...this.blocks.entries()].sort((x, y) => x[1].lines[0].line - y[1].lines[0].line);
    const released = open.flatMap(([key]) => this.close(key));
    this.incidents.sort((x, y) => x.line - y.line);
    this.attachShowMem();
    this.markPanicOnOom();
    this.attachReaps();
    return { incidents: this.incidents, problems: this.problems, released };
  }

  private open(key: string, kind: BlockKind, l: KernelLine): KernelLine[] {
    const b: Block = { kind, lines: [l], pending: [], misses: 0, ending: false, lastPieceLength: l.text.length };
    if (this.endsHere(b, l.msg)) b.ending = true;
    this.blocks.set(key, b);
    return [];
  }

  /** A start marker inside an open report that is part of that report, not a new one. */
  private belongs(b: Block, kind: BlockKind, msg: string): boolean {
    switch (b.kind) {
      case 'oom': return (kind === 'oom' && !msg.includes('invoked oom-killer')) || kind === 'showmem';
      case 'alloc': case 'sysrq': return kind === 'showmem';
      case 'showmem': return kind === 'showmem' && !b.lines.some((x) => /Mem-Info:/.test(x.msg)) ;
      case 'rcu': return kind === 'rcu' && !/detected stall/.test(msg);
      case 'error': {
        // "cut here", then WARNING:/BUG:, then an Oops line all make one report; a second
        // WARNING or "kernel BUG at" after a headline starts the next one.
        if (kind !== 'error' || /cut here/.test(msg)) return false;
        const headline = /^\s*WARNING: |^\s*(?:kernel )?BUG(?: at |: )/;
        return !(headline.test(msg) && b.lines.some((x) => headline.test(x.msg)));
      }
      case 'panic': return kind === 'panic' && /---\[ end Kernel panic/.test(msg);
      default: return false;
    }
  }

  private endsHere(b: Block, msg: string): boolean {
    if (b.kind === 'oom') return KILLED_RE.test(msg);
    if (b.kind === 'error') return /---\[ end trace/.test(msg);
    if (b.kind === 'panic') return /---\[ end Kernel panic/.test(msg);
    return false;
  }

  /** Ends the caller's open report, reads it, and hands back the trailing lines it did not claim. */
  private close(key: string): KernelLine[] {
    const b = this.blocks.get(key);
    this.blocks.delete(key);
    for (const [caller, owner] of this.nmiOwner) if (owner === key) this.nmiOwner.delete(caller);
    if (!b) return [];
    this.read(b);
    return b.pending;
  }

  private read(b: Block): void {
    const lines = b.lines;
    this.flagMixedTasks(lines);
    for (const l of lines) this.store?.add(l.input, l.line, l.text);
    switch (b.kind) {
      case 'oom': this.incidents.push(parseOomReport(lines, this.problems)); break;
      case 'alloc': this.incidents.push(parseAllocFailure(lines)); break;
      case 'hung': this.incidents.push(parseHungTask(lines)); break;
      case 'lockup': this.incidents.push(parseSoftLockup(lines)); break;
      case 'rcu': this.incidents.push(parseRcuStall(lines)); break;
      case 'error': case 'panic': this.incidents.push(parseKernelError(lines)); break;
      case 'sysrq': { const s = parseSysrq(lines); if (s) this.incidents.push(s); break; }
      case 'showmem': this.readShowMem(lines); break;
      default: break;
    }
  }

  private readShowMem(lines: KernelLine[]): void {
    const mem = new MemInfoBuilder(lines[0].line);
    for (const l of lines) mem.add(l.msg, l.line);
    if (!mem.hasContent()) return;
    const inc: SysrqIncident = {
      ...baseOf('show_mem', lines), command: 'show_mem', tasks: [], memInfo: mem.report.memInfo,
      memInfoReport: mem.report, zones: mem.report.zones, kernel: null,
    };
    this.incidents.push(inc);
  }

  /**
   * warn_alloc() prints its Mem-Info apart from the failure header when the ratelimit suppressed
   * callbacks ("warn_alloc_show_mem: 3 callbacks suppressed"), and pasted logs split them too
   * (seed 000). A lone Mem-Info right next to a failure that has none, within 10 s, is its Mem-Info.
   */
  private attachShowMem(): void {
    for (let i = 0; i < this.incidents.length; i++) {
      const sm = this.incidents[i];
      if (sm.kind !== 'show_mem') continue;
      const near = [this.incidents[i - 1], this.incidents[i + 1]].find(
        (x): x is PageAllocFailureIncident => x?.kind === 'page_alloc_failure' && x.memInfoReport == null &&
          (x.uptimeSec == null || sm.uptimeSec == null || Math.abs(x.uptimeSec - sm.uptimeSec) <= 10));
      if (!near || !sm.memInfoReport) continue;
      attachMemInfo(near, sm.memInfoReport);
      near.memInfoLine = sm.line;
      this.incidents.splice(i--, 1);
    }
  }

  /**
   * Two CPUs printing reports at once interleave their lines. With printk caller ids the blocks
   * are kept apart (per caller); without them a report that names two tasks on its CPU: lines
   * holds lines of both, and the person reading it must know.
   */
  private flagMixedTasks(lines: readonly KernelLine[]): void {
    if (lines.some((l) => l.caller)) return;
    const tasks = new Set<string>();
    for (const l of lines) {
      const m = /^\s*CPU: (\d+) (?:UID: \d+ )?PID: (\d+)/.exec(l.msg);
      if (m) tasks.add(`CPU ${m[1]} pid ${m[2]}`);
    }
    if (tasks.size < 2) return;
    const first = lines[0];
    this.problems.push({ input: first.input, line: first.line, severity: 'warning',
      message: `lines ${first.line}–${lines[lines.length - 1].line} mix reports printed at the same time by ${[...tasks].join(' and ')}; this log has no printk caller ids (CONFIG_PRINTK_CALLER, or use the console/kmsg copy), so their lines cannot be told apart and this incident may hold lines of both` });
  }

  /**
   * With vm.panic_on_oom the kernel prints the OOM report and panics instead of killing: the
   * report has no "Killed process" line because nobody was killed, not because it was cut off.
   */
  private markPanicOnOom(): void {
    this.incidents.forEach((inc, i) => {
      const next = this.incidents[i + 1];
      if (inc.kind !== 'oom_kill' || inc.victim.line != null || next?.kind !== 'panic' || !/panic_on_oom|Out of memory/.test(next.message)) return;
      inc.outcome = 'panic';
      inc.partial = inc.trigger.line == null;
      const p = this.problems.findIndex((x) => x.input === inc.input && x.line === inc.endLine && /without its "Killed process" line/.test(x.message));
      if (p !== -1) this.problems.splice(p, 1);
    });
  }

  /**
   * Each oom_reaper line goes to the last kill of its pid at or before it. Kills are indexed by
   * pid once (sorted by line), so 10,000 kills with 10,000 reaper lines cost a lookup each, not
   * a scan of every incident per reaper line.
   */
  private attachReaps(): void {
    if (this.reaps.length === 0) return;
    const byPid = new Map<number, OomKillIncident[]>();
    for (const x of this.incidents) {
      if (x.kind !== 'oom_kill' || x.victim.pid == null) continue;
      const list = byPid.get(x.victim.pid);
      if (list) list.push(x);
      else byPid.set(x.victim.pid, [x]);
    }
    for (const list of byPid.values()) list.sort((a, b) => a.line - b.line);
    for (const r of this.reaps) {
      const target = lastAtOrBefore(byPid.get(r.pid), r.line.line);
      const rest = REAPER_RE.exec(r.line.msg)![3];
      if (target) target.victim.reaped = { anonRssKb: kbField(rest, 'anon-rss'), fileRssKb: kbField(rest, 'file-rss'), shmemRssKb: kbField(rest, 'shmem-rss'), line: r.line.line };
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
