import type { Problem } from '../../model/common.js';
import type { KernelIncident, OomKillIncident, PageAllocFailureIncident } from '../../model/kernel-incidents.js';
import type { KernelLine } from '../types.js';
import type { LineStore } from '../../read/line-store.js';
import { attachMemInfo } from './alloc-failure.js';
import { kindById } from './kinds/index.js';
import { LeadingLines } from './leading-lines.js';
import type { BlockKind as KindId } from './kinds/types.js';
import { startKind } from './markers.js';
import { REAPER_RE, kbField } from './oom-lines.js';
import { isReportLine } from './report-lines.js';
import { borrowKernelVersions } from './kernel-versions.js';
import { isWrapContinuation, rejoin } from './wrap.js';
import type { EarlyCopies } from '../early-copies.js';

/** `ending`: its last line was read; it closes at the next line unless that is the wrapped rest. */
interface Block { kind: KindId; lines: KernelLine[]; pending: KernelLine[]; misses: number; ending: boolean; lastPieceLength: number }

/** Blank lines a report may hold before it is taken as ended (its kind says how many other lines). */
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
  private readonly leading = new LeadingLines();
  private emptyPrefixed: KernelLine | null = null;

  /** `copies`: sheds copies dedup will drop as they are read (absent: every copy kept whole). */
  constructor(private readonly store?: LineStore, private readonly copies?: EarlyCopies) {}

  get idle(): boolean {
    return this.blocks.size === 0;
  }

  push(l: KernelLine): KernelLine[] {
    // Another program's line (a syslog tag other than "kernel"): never part of a kernel report,
    // even when it says "WARNING:" or "Out of memory".
    if (l.fromKernel === false) return [l];
    if (REAPER_RE.test(l.msg)) { this.store?.add(l.input, l.line, l.text); this.reaps.push({ pid: Number(REAPER_RE.exec(l.msg)![1]), line: l }); return []; }
    // (oom_reaper lines were taken above: every other start is a report kind of kinds/.)
    const started = startKind(l.msg);
    const kind = started === 'reaper' ? null : started;
    const key = this.keyOf(l);
    const b = this.blocks.get(key);
    if (!b) {
      // "[    7.038176] " alone, then its message on the next line (a wrap with no space after the prefix).
      const e = this.emptyPrefixed;
      this.emptyPrefixed = l.prefixed && l.msg.trim() === '' ? l : null;
      if (e && !l.prefixed && e.input === l.input && l.line === e.line + 1 && /^[\x21-\x7e]/.test(l.text)) {
        const out = this.push({ ...e, msg: l.text, text: e.text + l.text });
        const nb = this.blocks.get(key);
        if (nb) nb.lastPieceLength = l.text.length;
        return out;
      }
      if (kind) return this.open(key, kind, l);
      if (this.leading.keep(l)) return [];
      return [l];
    }
    // A word wrap that broke right after the prefix ("[    7.038176] " alone, then the message,
    // which had no space to break at): the bare line is that prefix's message.
    const lastPending = b.pending[b.pending.length - 1];
    if (!l.prefixed && lastPending?.prefixed && lastPending.msg.trim() === '' && /^[\x21-\x7e]/.test(l.text)) {
      b.pending.pop();
      const out = this.push({ ...lastPending, msg: l.text, text: lastPending.text + l.text });
      const nb = this.blocks.get(key);
      if (nb) nb.lastPieceLength = l.text.length;
      return out;
    }
    if (!kind && b.pending.length === 0 && isWrapContinuation(b.lines[b.lines.length - 1], b.lastPieceLength, l)) {
      b.lastPieceLength = l.text.length;
      b.lines[b.lines.length - 1] = rejoin(b.lines[b.lines.length - 1], l);
      if (this.endsHere(b, b.lines[b.lines.length - 1].msg)) b.ending = true;
      return [];
    }
    if (b.ending && b.pending.length === 0 && kindById(b.kind).continuesAfterEnd?.(b, l.msg)) {
      b.lines.push(l);
      b.lastPieceLength = l.text.length;
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
    if (blank ? b.pending.length > MAX_BLANKS : ++b.misses > kindById(b.kind).tolerance) return this.close(key);
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
      if (key !== own && kindById(b.kind).asksOtherCpus) {
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
    borrowKernelVersions(this.incidents);
    return { incidents: this.incidents, problems: this.problems, released };
  }

  private open(key: string, kind: KindId, l: KernelLine): KernelLine[] {
    const b: Block = { kind, lines: [...this.leading.take(kind, l), l], pending: [], misses: 0, ending: false, lastPieceLength: l.text.length };
    if (this.endsHere(b, l.msg)) b.ending = true;
    this.blocks.set(key, b);
    return [];
  }

  /** A start marker inside an open report that is part of that report, not a new one. */
  private belongs(b: Block, kind: KindId, msg: string): boolean {
    return kindById(b.kind).belongs(b, kind, msg);
  }

  private endsHere(b: Block, msg: string): boolean {
    return kindById(b.kind).endsHere(msg);
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
    const found = kindById(b.kind).read(lines, this.problems);
    // A certain copy of a report read before is kept as a stub, without evidence lines (early-copies.ts).
    let shed = 0;
    for (const inc of found) {
      const stub = this.copies?.shed(inc);
      if (stub) shed++;
      this.incidents.push(stub ?? inc);
    }
    if (shed < found.length || found.length === 0) for (const l of lines) this.store?.add(l.input, l.line, l.text);
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
      attachMemInfo(near, { memInfoReport: sm.memInfoReport, memInfo: sm.memInfo, zones: sm.zones });
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
