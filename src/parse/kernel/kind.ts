import type { Problem } from '../../model/common.js';
import type { IncidentBase } from '../../model/kernel-incidents.js';
import type { KernelLine } from '../types.js';
import type { ScanNeedle } from './markers.js';
import type { BlockKind, KernelIncident } from './registry.js';

// The ids of the registered kinds (registry.ts derives them from its list).
export type { BlockKind } from './registry.js';

/** An open report, as a kind's belongs() sees it. */
export interface OpenReport {
  kind: BlockKind;
  lines: readonly KernelLine[];
}

/**
 * One kernel report kind: how its reports start, which lines belong to them, how they are read,
 * and how an incident of it reads in the text report. Registered in registry.ts; kernel-log.ts groups
 * lines with these, markers.ts pre-filters with them, the text and Markdown reports print with them.
 */
export interface KernelKind<I extends IncidentBase = KernelIncident, Id extends string = BlockKind> {
  id: Id;
  /** The `kind` values of the incidents it makes. */
  incidentKinds: readonly I['kind'][];
  /** Literal strings, one of which every line `start` matches holds (the fast reader's pre-filter). */
  markers: readonly string[];
  /**
   * What the fast reader's byte scan looks for (markers.ts says how they are chosen): literals of
   * at least 7 bytes, one of which every line `start` matches holds. The first kinds' needles are
   * in markers.ts's list, tuned there with the fast reader; a kind may bring its own here.
   * test/parse/kernel/scan-needles.test.ts names a fixture line that starts a report without one.
   */
  scanNeedles?: readonly ScanNeedle[];
  /** A line that starts a report of this kind. Kinds are tried in registry order. */
  start: RegExp;
  /** Unknown lines an open report may hold before it is taken as ended (other messages interleave). */
  tolerance: number;
  /** Whether a line that starts a report of kind `kind` is, inside an open report of this kind, part of it. */
  belongs(open: OpenReport, kind: BlockKind, msg: string): boolean;
  /** The report's last line: it closes at the next line (unless that is its wrapped rest). */
  endsHere(msg: string): boolean;
  /**
   * Whether its last line is whole as read (it holds the line's fixed end): a bare line after it is
   * then never its wrapped rest, though it may be long enough to look like one (a program's own
   * error line right after a one-line report). Absent: a long last line may be wrapped.
   */
  endsWhole?(msg: string): boolean;
  /** Lines that still belong after the last one (memory.oom.group's extra kills); absent: none. */
  continuesAfterEnd?(open: OpenReport, msg: string): boolean;
  /**
   * Lines of its report that a paste may hold before the line that opens it (a report cut before
   * its header: `grep -A` from a task-table row), taken back when it opens with a line `unless`
   * does not match (its real header has nothing before it).
   */
  leading?: { lines: RegExp; unless: RegExp };
  /**
   * It asks the other CPUs for their stacks: their NMI backtraces, printed under their own printk
   * caller ids, belong to it (RCU stalls, sysrq l).
   */
  asksOtherCpus?: boolean;
  /**
   * What makes two of its reports the same event, so that copies of one record (the console's and
   * the syslog's, a wall echo) become one incident (parse/dedup.ts); null or absent: never merged.
   * Copies are then told from repeats by the kernel's clock.
   */
  identity?(inc: I): string | null;
  /** Seconds the clocks of two copies may differ by (the copies of a long report start at different lines); absent: 0. */
  copySlackSec?: number;
  /** Its identity alone makes a copy when the copies share no clock (an OOM names a victim, who dies once). */
  identityIsUnique?: boolean;
  /** Reads the report's lines. Odd lines become problems, never exceptions. */
  read(lines: readonly KernelLine[], problems: Problem[]): I[];
  /** One line for the timeline. */
  summary(inc: I): string;
  /** Key facts, a few lines. */
  details(inc: I): string[];
}

/** The incident type a kind module makes (its KernelKind's first type argument). */
export type IncidentOf<K> = K extends KernelKind<infer I, string> ? I : never;
