import type { KernelLine } from '../parse/types.js';
import { parseJournalJson } from './journal-json.js';
import { parsePrefix } from './prefix.js';
import { unfold } from './unfold.js';

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Turns physical lines of one input into kernel lines: unfolds folded lines, strips prefixes,
 * and completes syslog timestamps (which print no year) with the year of the latest dmesg -T or
 * ISO line seen before them in the same input — a year the input states, never today's.
 */
export class KernelLineAssembler {
  private year: number | null = null;
  readonly formats = new Map<string, number>();
  private kmsgSeen = false;

  constructor(readonly input: number) {}

  assemble(line: number, text: string): KernelLine[] {
    // /dev/kmsg dictionary lines (" SUBSYSTEM=pci") belong to the record before them.
    if (this.kmsgSeen && text.startsWith(' ') && /^ [A-Z_]+=/.test(text)) return [];
    const out: KernelLine[] = [];
    for (const piece of unfold(text)) {
      const j = piece.startsWith('{') ? parseJournalJson(piece) : null;
      if (j) {
        this.count('journal-json');
        out.push({ input: this.input, line, text: piece, msg: j.msg, prefixed: true, uptimeSec: j.uptimeSec, time: j.time, timeText: j.time });
        continue;
      }
      const p = parsePrefix(piece);
      this.count(p.format);
      if (p.format === 'kmsg') this.kmsgSeen = true;
      if (p.time) this.year = Number(p.time.slice(0, 4));
      let time = p.time;
      if (!time && p.noYear && this.year != null) {
        time = `${this.year}-${pad(p.noYear.month)}-${pad(p.noYear.day)}T${p.noYear.hms}`;
      }
      out.push({ input: this.input, line, text: piece, msg: p.msg, prefixed: p.format !== 'console', uptimeSec: p.uptimeSec, time, timeText: p.timeText, caller: p.caller });
    }
    return out;
  }

  /**
   * Lines the fast reader counted without decoding (fast-scan.ts): the same bookkeeping assemble()
   * would have done for them. year: the last one's stated year, or -1.
   */
  skipped(format: string, n: number, year: number): void {
    this.formats.set(format, (this.formats.get(format) ?? 0) + n);
    if (format === 'kmsg') this.kmsgSeen = true;
    if (year !== -1) this.year = year;
  }

  private count(format: string): void {
    this.formats.set(format, (this.formats.get(format) ?? 0) + 1);
  }

  /** The most common prefix format other than bare console lines, for the inputs list. */
  dominantFormat(): string {
    let best = 'console';
    let n = 0;
    for (const [f, c] of this.formats) if (f !== 'console' && c > n) [best, n] = [f, c];
    return best;
  }
}
