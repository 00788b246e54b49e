import type { KernelLine } from '../parse/types.js';
import { parseJournalJson } from './journal-json.js';
import { JournalVerboseReader, type VerboseMessage } from './journal-verbose.js';
import { parsePrefix, stripLineNumber } from './prefix.js';
import { folded } from './unfold.js';
import { ClassicSyslogLines } from './classic-lines.js';
import { readKmsgLine } from './kmsg-lines.js';
import { isoFromNumbers } from './timestamps.js';

/**
 * `journalctl` without --full cuts a long message in the middle with "…" ("anon-rss:49…kB"). The
 * words touching the cut are half words: a number there would be read wrong, so they go, and the
 * field reads as absent. The kernel itself never prints "…".
 */
function elide(msg: string): string {
  return msg.includes('\u2026') ? msg.replace(/\S*\u2026\S*/g, '\u2026') : msg;
}

/**
 * Turns physical lines of one input into kernel lines: unfolds folded lines, strips prefixes,
 * and completes syslog timestamps (which print no year) with the year of the latest dmesg -T or
 * ISO line seen before them in the same input — a year the input states, never today's.
 */
export class KernelLineAssembler {
  private year: number | null = null;
  /** Lines per prefix format, in the order formats were first seen (see count()). */
  private readonly formats = new Map<string, number>();
  /** The format counted last and how many lines of it are not yet in `formats`. */
  private lastFormat: string | null = null;
  private lastFormatLines = 0;
  private kmsgSeen = false;
  private numbered = false;
  /** The last line given to assemble() was a journal field line: kernel-log text, nothing to parse. */
  lastConsumed = false;
  /** Lines journalctl shortened with "…" (no --full): their count and the first one. */
  readonly elided = { count: 0, firstLine: 0 };
  private readonly verbose = new JournalVerboseReader();
  private readonly classic: ClassicSyslogLines;

  /** The classic syslog and kmsg readers are used (fast: false reads every line with parsePrefix: the path they are tested against). */
  private readonly fast: boolean;

  constructor(readonly input: number, opts: { fast?: boolean } = {}) {
    this.fast = opts.fast !== false;
    this.classic = new ClassicSyslogLines(input);
  }

  /**
   * The kernel line assemble() made last from a `plain` line (run-feeder.ts: one the classifier
   * found no report start in) and read unchanged: no rsyslog escape turned into a character ("#011"
   * before "BUG: " makes a start the bytes did not show), no ANSI colour taken out, not a journal
   * record. Such a line starts no report: kernel-log.ts need not test it. Else null.
   */
  markerFree: KernelLine | null = null;
  /**
   * How the last piece() was read: 1 by the classic syslog or kmsg reader (both refuse escapes and
   * colour), 2 as a journal JSON record (its escapes make characters), 0 by parsePrefix.
   */
  private pieceWay = 0;

  assemble(line: number, text: string, plain = false): KernelLine[] {
    this.markerFree = null;
    // /dev/kmsg dictionary lines (" SUBSYSTEM=pci") belong to the record before them.
    if (this.kmsgSeen && text.startsWith(' ') && /^ [A-Z_]+=/.test(text)) return [];
    const v = this.verbose.read(line, text);
    const done = v.done.length === 0 ? null : v.done.map((d) => this.fromVerbose(d));
    this.lastConsumed = v.consumed;
    if (v.consumed) {
      this.count('journal-verbose');
      return done ?? [];
    }
    const pieces = folded(text);
    // Nearly always one line: a list of just it (a list grown by push() holds room for 17).
    if (pieces === null && done === null) {
      this.pieceWay = 0;
      const one = this.piece(line, text);
      if (Array.isArray(one)) return one;
      if (plain && one.text === text && (this.pieceWay === 1 || (this.pieceWay === 0 && !text.includes('\x1b')))) this.markerFree = one;
      return [one];
    }
    const out = done ?? [];
    for (const raw of pieces ?? [text]) {
      const got = this.piece(line, raw);
      if (Array.isArray(got)) for (const l of got) out.push(l);
      else out.push(got);
    }
    return out;
  }

  /** Reads one kernel line (a physical line, or a piece of a folded one): it, or an escaped record's lines. */
  private piece(line: number, raw: string): KernelLine | KernelLine[] {
    // rsyslog writes other control characters as "#" and three octal digits too ("#011": a tab).
    let piece = raw;
    let escaped = -1;
    if (raw.includes('#0')) {
      piece = raw.replace(/#0([0-3][0-7])/g, (_m, o: string) => (o === '12' ? '#012' : String.fromCharCode(parseInt(o, 8))));
      escaped = piece.indexOf('#012');
    }
    if (escaped > 0) return this.escapedRecord(line, piece);
    const j = piece.startsWith('{') ? parseJournalJson(piece) : null;
    if (j) {
      this.pieceWay = 2;
      this.count('journal-json');
      return { input: this.input, line, text: piece, msg: j.msg, prefixed: true, uptimeSec: j.uptimeSec, time: j.time, timeText: j.time, fromKernel: j.fromKernel };
    }
    const classic = this.fast ? this.classic.read(line, piece, this.year) : null;
    if (classic) {
      this.pieceWay = 1;
      this.count('syslog');
      if (classic.msg.includes('\u2026')) this.elidedLine(line, classic);
      return classic;
    }
    const kmsg = this.fast ? readKmsgLine(this.input, line, piece) : null;
    if (kmsg) {
      this.pieceWay = 1;
      this.count('kmsg');
      this.kmsgSeen = true;
      if (kmsg.msg.includes('\u2026')) this.elidedLine(line, kmsg);
      return kmsg;
    }
    let p = parsePrefix(piece);
    if (p.format.startsWith('numbered')) this.numbered = true;
    else if (p.format === 'console' && this.numbered) {
      const rest = stripLineNumber(piece);
      if (rest != null) p = { ...p, msg: rest, format: 'numbered' };
    }
    this.count(p.format);
    if (p.format === 'kmsg') this.kmsgSeen = true;
    if (p.time) this.year = Number(p.time.slice(0, 4));
    let time = p.time;
    if (!time && p.noYear && this.year != null) {
      time = isoFromNumbers(this.year, p.noYear.month, p.noYear.day, p.noYear.hms);
    }
    const l: KernelLine = { input: this.input, line, text: piece, msg: p.msg, prefixed: p.format !== 'console', uptimeSec: p.uptimeSec, time, timeText: p.timeText, caller: p.caller, fromKernel: p.fromKernel };
    if (l.msg.includes('\u2026')) this.elidedLine(line, l);
    return l;
  }

  /** A line journalctl shortened (any prefix): counted (the first one's number kept), and its cut words taken off. */
  private elidedLine(line: number, l: KernelLine): void {
    if (this.elided.count++ === 0) this.elided.firstLine = line;
    l.msg = elide(l.msg);
  }

  /**
   * rsyslog escapes control characters in a message: a kernel record of several lines (a Mem-Info
   * block, memcg stats) that reached it through the journal (imjournal) is one syslog line with
   * "#012" for each newline. Its pieces are read as the record's lines, with the record's prefix.
   */
  private escapedRecord(line: number, piece: string): KernelLine[] {
    const [head, ...rest] = piece.split('#012');
    const first = this.assemble(line, head);
    const h = first[first.length - 1];
    if (!h || !h.prefixed) return this.plain(line, piece);
    return [...first, ...rest.map((r) => ({ ...h, text: r, msg: elide(r) }))];
  }

  private plain(line: number, piece: string): KernelLine[] {
    return [{ input: this.input, line, text: piece, msg: piece, prefixed: false, uptimeSec: null, time: null, timeText: null }];
  }

  /** The kernel lines of a verbose journal record still open at the end of the input. */
  finish(): KernelLine[] {
    return this.verbose.finish().map((d) => this.fromVerbose(d));
  }

  private fromVerbose(d: VerboseMessage): KernelLine {
    return { input: this.input, line: d.line, text: d.text, msg: elide(d.msg), prefixed: true, uptimeSec: d.uptimeSec, time: d.time, timeText: d.time, fromKernel: d.fromKernel };
  }

  /**
   * Lines the fast reader counted without decoding (fast-scan.ts): the same bookkeeping assemble()
   * would have done for them. year: the last one's stated year, or -1.
   */
  skipped(format: string, n: number, year: number): void {
    this.flushCount();
    this.formats.set(format, (this.formats.get(format) ?? 0) + n);
    if (format === 'kmsg') this.kmsgSeen = true;
    if (year !== -1) this.year = year;
  }

  /**
   * One more line of this format. Runs of one format (nearly every line of a log) are summed
   * aside and added once the format changes; the format is put in the map when first seen, so
   * the map's order (which breaks ties in dominantFormat) is the order formats were first seen.
   */
  private count(format: string): void {
    if (format === this.lastFormat) {
      this.lastFormatLines++;
      return;
    }
    this.flushCount();
    if (!this.formats.has(format)) this.formats.set(format, 0);
    this.lastFormat = format;
    this.lastFormatLines = 1;
  }

  private flushCount(): void {
    if (this.lastFormat === null) return;
    this.formats.set(this.lastFormat, this.formats.get(this.lastFormat)! + this.lastFormatLines);
    this.lastFormat = null;
    this.lastFormatLines = 0;
  }

  /** The most common prefix format other than bare console lines, for the inputs list. */
  dominantFormat(): string {
    this.flushCount();
    let best = 'console';
    let n = 0;
    for (const [f, c] of this.formats) if (f !== 'console' && c > n) [best, n] = [f, c];
    return best;
  }
}
