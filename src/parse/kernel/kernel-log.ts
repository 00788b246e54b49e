import type { Problem } from '../../model/common.js';
import type { KernelIncident } from '../../model/kernel-incidents.js';
import type { KernelLine } from '../types.js';
import type { LineStore } from '../../read/line-store.js';
import { isBlank } from '../../read/blank.js';
import { kindById, type KernelKind } from './registry.js';
import { LeadingLines } from './log/leading-lines.js';
import type { BlockKind as KindId } from './kind.js';
import { startKind } from './markers.js';
import { isReportLine } from './log/report-lines.js';
import { borrowKernelVersions } from './log/kernel-versions.js';
import { mixedTasksProblem } from './log/mixed-tasks.js';
import { OomReaperLines } from './log/oom-reaper.js';
import { markPanicOnOom } from './log/panic-on-oom.js';
import { attachShowMem } from './log/show-mem-attach.js';
import { WallEchoes } from './log/wall-echo.js';
import { isWrapContinuation, rejoin } from './log/wrap.js';
import type { EarlyCopies } from '../early-copies.js';
import { compactRecords } from './common/fast-record.js';

/** `ending`: its last line was read; it closes at the next line unless that is the wrapped rest. */
/** `mod`: the kind's module, looked up once when the report opens (kindById is a Map lookup; push() asked it per line). */
interface Block { kind: KindId; mod: KernelKind; lines: KernelLine[]; pending: KernelLine[]; misses: number; ending: boolean; lastPieceLength: number }

/**
 * What push() hands back when it keeps the line: one empty list for all (nothing is added to it;
 * frozen so that a caller that tried would fail loudly), not a new one for each line of a report.
 */
const NONE: KernelLine[] = Object.freeze([]) as unknown as KernelLine[];

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
  private readonly reaper = new OomReaperLines();
  private readonly leading = new LeadingLines();
  private emptyPrefixed: KernelLine | null = null;
  /** The key blockOf() looked up last and its block (null: look again; set when `blocks` changes). */
  private lastKey: string | null = null;
  private lastBlock: Block | undefined = undefined;
  private readonly wall = new WallEchoes();

  /** `copies`: sheds copies dedup will drop as they are read (absent: every copy kept whole). */
  constructor(private readonly store?: LineStore, private readonly copies?: EarlyCopies) {}

  get idle(): boolean {
    return this.blocks.size === 0;
  }

  /**
   * markerFree: the reader knows the line starts no report (read/kernel-lines.ts markerFree: the
   * classifier found no report start in its bytes, and it was read unchanged), so startKind's
   * test is skipped; the lines push() makes itself (wraps joined) are always tested.
   */
  push(l: KernelLine, markerFree = false): KernelLine[] {
    this.wall.see(l);
    // Another program's line (a syslog tag other than "kernel"): never part of a kernel report,
    // even when it says "WARNING:" or "Out of memory".
    if (l.fromKernel === false) return [l];
    if (this.reaper.take(l)) { this.store?.add(l.input, l.line, l.text); return NONE; }
    // (oom_reaper lines were taken above: every other start is a report kind of kinds/.)
    const started = markerFree ? null : startKind(l.msg);
    const kind = started === 'reaper' ? null : started;
    const key = this.keyOf(l);
    const b = this.blockOf(key);
    if (!b) {
      // "[    7.038176] " alone, then its message on the next line (a wrap with no space after the prefix).
      const e = this.emptyPrefixed;
      this.emptyPrefixed = l.prefixed && isBlank(l.msg) ? l : null;
      if (e && !l.prefixed && e.input === l.input && l.line === e.line + 1 && /^[\x21-\x7e]/.test(l.text)) {
        const out = this.push({ ...e, msg: l.text, text: e.text + l.text });
        const nb = this.blockOf(key);
        if (nb) nb.lastPieceLength = l.text.length;
        return out;
      }
      if (kind) return this.open(key, kind, l);
      if (this.leading.keep(l)) return NONE;
      return [l];
    }
    // A word wrap that broke right after the prefix ("[    7.038176] " alone, then the message,
    // which had no space to break at): the bare line is that prefix's message.
    // (not pending[-1] on an empty list: a read past the end is V8's slow path, on every line)
    const lastPending = b.pending.length > 0 ? b.pending[b.pending.length - 1] : undefined;
    if (!l.prefixed && lastPending?.prefixed && isBlank(lastPending.msg) && /^[\x21-\x7e]/.test(l.text)) {
      b.pending.pop();
      const out = this.push({ ...lastPending, msg: l.text, text: lastPending.text + l.text });
      const nb = this.blockOf(key);
      if (nb) nb.lastPieceLength = l.text.length;
      return out;
    }
    // (!l.prefixed first: isWrapContinuation takes only bare lines, and most lines have a prefix)
    if (!kind && !l.prefixed && b.pending.length === 0 && !(b.ending && b.mod.endsWhole?.(b.lines[b.lines.length - 1].msg)) && isWrapContinuation(b.lines[b.lines.length - 1], b.lastPieceLength, l)) {
      b.lastPieceLength = l.text.length;
      b.lines[b.lines.length - 1] = rejoin(b.lines[b.lines.length - 1], l);
      if (this.endsHere(b, b.lines[b.lines.length - 1].msg)) b.ending = true;
      return NONE;
    }
    if (b.ending && b.pending.length === 0 && b.mod.continuesAfterEnd?.(b, l.msg)) {
      b.lines.push(l);
      b.lastPieceLength = l.text.length;
      return NONE;
    }
    if (b.ending) return [...this.close(key), ...this.push(l)];
    if (kind && !this.belongs(b, kind, l.msg)) return [...this.close(key), ...this.open(key, kind, l)];
    const blank = isBlank(l.msg);
    if (kind || (!blank && isReportLine(l.msg))) {
      // (a new pending list only when the old one held lines: not one per line of a report)
      if (b.pending.length > 0) {
        for (let k = 0; k < b.pending.length; k++) b.lines.push(b.pending[k]);
        b.pending = [];
      }
      b.lines.push(l);
      b.lastPieceLength = l.text.length;
      b.misses = 0;
      if (this.endsHere(b, l.msg)) b.ending = true;
      return NONE;
    }
    b.pending.push(l);
    if (blank ? b.pending.length > MAX_BLANKS : ++b.misses > b.mod.tolerance) return this.close(key);
    return NONE;
  }

  /** blocks.get(key), remembered while the key stays the same (the map lookup was push()'s largest cost). */
  private blockOf(key: string): Block | undefined {
    if (key !== this.lastKey) {
      this.lastBlock = this.blocks.get(key);
      this.lastKey = key;
    }
    return this.lastBlock;
  }

  /**
   * The open report a line belongs to: its caller's. Except NMI backtraces: an RCU stall or sysrq
   * asks the other CPUs for their stacks and each prints its own from NMI context (under its own
   * caller id); those lines belong to the report that asked.
   */
  private keyOf(l: KernelLine): string {
    const own = l.caller ?? '';
    if (!l.caller || !/NMI backtrace for cpu|sysrq: CPU\d+:/.test(l.msg)) return this.nmiOwner.size === 0 ? own : this.nmiOwner.get(own) ?? own;
    for (const [key, b] of this.blocks) {
      if (key !== own && b.mod.asksOtherCpus) {
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
    // What joins reports of two kinds, once all are read (log/*.ts).
    attachShowMem(this.incidents);
    markPanicOnOom(this.incidents, this.problems);
    this.reaper.attach(this.incidents);
    this.wall.mark(this.incidents);
    borrowKernelVersions(this.incidents);
    return { incidents: this.incidents, problems: this.problems, released };
  }

  private open(key: string, kind: KindId, l: KernelLine): KernelLine[] {
    const b: Block = { kind, mod: kindById(kind), lines: [...this.leading.take(kind, l), l], pending: [], misses: 0, ending: false, lastPieceLength: l.text.length };
    if (this.endsHere(b, l.msg)) b.ending = true;
    this.blocks.set(key, b);
    this.lastKey = null;
    return NONE;
  }

  /** A start marker inside an open report that is part of that report, not a new one. */
  private belongs(b: Block, kind: KindId, msg: string): boolean {
    return b.mod.belongs(b, kind, msg);
  }

  private endsHere(b: Block, msg: string): boolean {
    return b.mod.endsHere(msg);
  }

  /** Ends the caller's open report, reads it, and hands back the trailing lines it did not claim. */
  private close(key: string): KernelLine[] {
    const b = this.blocks.get(key);
    this.blocks.delete(key);
    this.lastKey = null;
    for (const [caller, owner] of this.nmiOwner) if (owner === key) this.nmiOwner.delete(caller);
    if (!b) return [];
    this.read(b);
    return b.pending;
  }

  private read(b: Block): void {
    const lines = b.lines;
    this.flagMixedTasks(lines);
    const found = b.mod.read(lines, this.problems);
    // A certain copy of a report read before is kept as a stub, without evidence lines (early-copies.ts).
    let shed = 0;
    for (const inc of found) {
      const stub = this.copies?.shed(inc);
      if (!stub) compactRecords(inc);
      if (stub) shed++;
      this.incidents.push(stub ?? inc);
    }
    if (shed < found.length || found.length === 0) for (const l of lines) this.store?.add(l.input, l.line, l.text);
  }

  /** Reports of two CPUs mixed where the log has no caller ids: said so (log/mixed-tasks.ts). */
  private flagMixedTasks(lines: readonly KernelLine[]): void {
    const p = mixedTasksProblem(lines);
    if (p) this.problems.push(p);
  }
}
