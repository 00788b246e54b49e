/**
 * The common case of KernelLineAssembler (kernel-lines.ts), read without parsePrefix: a classic
 * syslog line, "Jun 12 03:24:24 host kernel: [  123.456789] msg" (nine in ten lines of a big
 * kern.log, and of the reports in it). A report's lines are printed within a second or two, so
 * most share their prefix with the line before: the prefix read last is kept, and a line that
 * starts with the very same text has the same fields, read once. The printk time after it is read
 * by hand. Anything else — no classic prefix, an escape sequence, a character beyond ASCII where
 * the patterns' \s could match, a "[" after the printk time (a dmesg -T stamp?) — answers null,
 * and the line goes to parsePrefix. test/read/classic-lines.test.ts holds the two to the same
 * KernelLine on every fixture line and on near misses.
 */
import type { KernelLine } from '../parse/types.js';
import { readClassicSyslog } from './prefix-classic.js';
import { isoFromNumbers, monthNumber } from './timestamps.js';

/** The fields a classic prefix gives, kept for the lines that start with the same text. */
interface Head {
  /** The prefix's text, ending with the space after "kernel:" (see read()). */
  text: string;
  timeText: string;
  month: number;
  day: number;
  hms: string;
  fromKernel: boolean;
  /** The ISO time completed with `year` (the year it was made with), or null while not made. */
  time: string | null;
  year: number;
}

/** 10 ** k, exact, for k <= 15 (a table: ** is a call each time). */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);
const digit = (c: number): boolean => c >= 48 && c <= 57;
/** \s of a JavaScript pattern, for ASCII: space, \t, \n, \v, \f, \r. */
const space = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

export class ClassicSyslogLines {
  private head: Head | null = null;

  constructor(private readonly input: number) {}

  /**
   * The kernel line parsePrefix and KernelLineAssembler would make of `piece` (msg not yet
   * elided), or null when it is not one this reader takes. year: the year the assembler would
   * complete the time with (null: none known).
   */
  read(line: number, piece: string, year: number | null): KernelLine | null {
    const c0 = piece.charCodeAt(0) | 0x20;
    if (c0 < 97 || c0 > 122) return null; // prefix.ts reads a classic prefix only after a letter
    let h = this.head;
    // (a slice compared: startsWith was twice as slow here)
    if (h === null || piece.slice(0, h.text.length) !== h.text) {
      h = this.readHead(piece);
      if (h === null) return null;
    }
    // parsePrefix first takes ANSI colour escapes off a line that has any.
    if (piece.includes('\x1b')) return null;
    // The printk time, as prefix.ts's RAW pattern /^\[\s*(\d+\.\d+)\]\s?/ reads it after the prefix.
    const n = piece.length;
    let i = h.text.length;
    let uptimeSec: number | null = null;
    if (piece.charCodeAt(i) === 91) {
      let j = i + 1;
      let c = piece.charCodeAt(j);
      while (space(c)) c = piece.charCodeAt(++j);
      if (c > 127) return null; // a Unicode space: the pattern's \s
      const d0 = j;
      let whole = 0;
      while (digit(c)) { whole = whole * 10 + (c - 48); c = piece.charCodeAt(++j); }
      const intDigits = j - d0;
      if (intDigits > 0 && c === 46) {
        const f0 = ++j;
        c = piece.charCodeAt(j);
        let frac = 0;
        while (digit(c)) { frac = frac * 10 + (c - 48); c = piece.charCodeAt(++j); }
        const fracDigits = j - f0;
        if (fracDigits > 0 && c === 93) {
          j++;
          const after = piece.charCodeAt(j);
          if (after > 127) return null; // a Unicode space would be the pattern's optional \s
          if (space(after)) j++;
          // whole.frac as Number() reads it: an integer below 2^53 divided by a power of ten is
          // the double nearest the decimal, as the string's own reading is; else read the string.
          uptimeSec = intDigits + fracDigits <= 15 ? (whole * POW10[fracDigits] + frac) / POW10[fracDigits] : Number(piece.slice(d0, f0 + fracDigits));
          i = j;
        }
      }
    }
    // A "[" now may open a dmesg -T stamp (prefix.ts innerWallClock), unless a space follows it:
    // the stamp's first word (\S+) cannot start with one. Such lines (task-table rows "[  1234]")
    // are common; the others go to the patterns.
    if (piece.charCodeAt(i) === 91 && (i + 1 >= n || !space(piece.charCodeAt(i + 1)))) return null;
    let time: string | null = null;
    if (year != null) {
      if (h.year !== year || h.time === null) {
        h.time = isoFromNumbers(year, h.month, h.day, h.hms);
        h.year = year;
      }
      time = h.time;
    }
    return { input: this.input, line, text: piece, msg: piece.slice(i), prefixed: true, uptimeSec, time, timeText: h.timeText, caller: null, fromKernel: h.fromKernel };
  }

  /** The classic prefix at the start of `piece`, kept for the next lines when that is safe. */
  private readHead(piece: string): Head | null {
    const k = readClassicSyslog(piece);
    if (!k) return null;
    const month = monthNumber(k.month);
    if (month == null) return null;
    const h: Head = {
      text: piece.slice(0, k.length), timeText: `${k.month} ${k.day} ${k.hms}`, month, day: Number(k.day), hms: k.hms,
      fromKernel: k.tag === 'kernel', time: null, year: 0,
    };
    // readClassicSyslog reads nothing past the prefix, except the character after its colon
    // when the prefix ends there: a prefix that ends with that space reads the same in every line
    // that starts with it, one that does not may read differently (no cache).
    if (space(piece.charCodeAt(k.length - 1))) this.head = h;
    return h;
  }
}
