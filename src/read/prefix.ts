import { readClassicSyslog } from './prefix-classic.js';
import { parseSyslogVariant } from './prefix-syslog.js';
import { isoFromParts, monthNumber } from './timestamps.js';

/** What a kernel-log line's prefix told us. */
export interface Prefix {
  /** The message after the prefix (leading spaces that belong to the message are kept). */
  msg: string;
  format: string;
  uptimeSec: number | null;
  /** ISO wall clock when the prefix carries a year; syslog lines get one later from context. */
  time: string | null;
  timeText: string | null;
  /** syslog/journal "Jun 12 03:24:24" without a year: month/day/hms for later completion. */
  noYear: { month: number; day: number; hms: string } | null;
  host: string | null;
  /** False when the line came from another program (syslog/journal), null when unknown. */
  fromKernel: boolean | null;
  /** printk caller id ("T37", "C1") when the kernel printed one, else null. */
  caller: string | null;
}

const RAW = /^\[\s*(\d+\.\d+)\]\s?/;
// CONFIG_PRINTK_CALLER: the console and busybox dmesg print "[    1.962444][   T37] msg" (T = task
// id, C = CPU for lines printed outside a task); /dev/kmsg puts ",caller=T37" in the record header.
// util-linux dmesg drops it.
const CALLER = /^\[\s*([TC]\d+)\]\s?/;
// dmesg -T: "[Sat Jun 11 10:21:50 2022]"; weekday/month words follow the locale.
const DMESG_T = /^\[(\S+)\s+(\S+)\s+(\d{1,2})\s+(\d\d:\d\d:\d\d)\s+(\d{4})\]\s?/;
// dmesg --time-format iso: "2022-06-11T10:21:50,123456+08:00 msg"
const DMESG_ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:[.,]\d+)?([+-]\d\d:?\d\d|Z)?\s/;
// syslog / journalctl short & short-precise: "Jun 12 03:24:24 fil kernel: "
export const SYSLOG = /^([A-Za-z\u00C0-\u024F\u0400-\u04FF]{3,5}\.?)\s+(\d{1,2})\s+(\d\d:\d\d:\d\d)(?:\.\d+)?\s+(\S+)\s+([^\s:]+?)(?:\[\d+\])?:\s?/;
// rsyslog RFC 3339 / journalctl short-iso: "2022-06-12T03:24:24.123+08:00 fil kernel: "
const SYSLOG_ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:[.,]\d+)?([+-]\d\d:?\d\d|Z)?\s+(\S+)\s+([^\s:]+?)(?:\[\d+\])?:\s?/;
// /dev/kmsg record: "6,1234,5678901,-;msg" (prio,seq,usec,flags;message)
export const KMSG = /^(\d+),(\d+),(\d+),([^;]*);/;
const KMSG_CALLER = /(?:^|,)caller=([TC]\d+)/;

/** A KMSG match's header fields: parsePrefix and kmsg-lines.ts's reader read a record the same way. */
export function kmsgFields(m: RegExpExecArray): { uptimeSec: number; fromKernel: boolean; caller: string | null } {
  const caller = KMSG_CALLER.exec(m[4]);
  // The first field is facility * 8 + level: user space writing to /dev/kmsg gets facility 1.
  return { uptimeSec: Number(m[3]) / 1e6, fromKernel: Number(m[1]) >> 3 === 0, caller: caller ? caller[1] : null };
}
// dmesg -r "<4>" and dmesg -x "kern  :warn  : "
const LEVEL = /^<(\d+)>/;
const MONO_HOST = /^(\S+) (kernel): /;
const MONO_HOST_ANY = /^(\S+) ([^\s:]+?)(?:\[\d+\])?: ?/;
// util-linux dmesg -d/--show-delta: "[    7.027177 <    2.027395>] msg" (uptime, then time since
// the previous message).
// journalctl -o short-delta: "[    7.027177 <    2.027395 >] host kernel: msg".
const DELTA = /^\[\s*(\d+\.\d+) <\s*\d+\.\d+ ?>\]\s?/;
// util-linux dmesg -H / --reltime: "[Dec 1 10:30] msg" when the minute changes, then
// "[  +0.000123] msg" (seconds since the previous message). Neither is an uptime, and the wall
// clock has no year and no seconds: both stay null, the text is kept.
const RELTIME_BASE = /^\[(\S{3,5}) {1,2}(\d{1,2}) (\d\d:\d\d)\]\s?/;
const RELTIME_DELTA = /^\[\s*[+-]\s*\d+\.\d+\]\s?/;
// dmesg --color=always (and -H on a terminal): SGR escapes around the timestamp and the subsystem.
const ANSI = /\x1b\[[0-9;]*m/g;
// (only syslog's own facility and level names: "kernel:memory: usage …" is a bare tag, not -x)
const FACILITY = /^(kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|res0|res1|res2|res3|res4|local[0-7])\s*:(?:emerg|alert|crit|err|warn|notice|info|debug)\s*:\s/;

function take(format: string, msg: string, rest: Partial<Prefix> = {}): Prefix {
  return { msg, format, uptimeSec: null, time: null, timeText: null, noYear: null, host: null, fromKernel: null, caller: null, ...rest };
}

/** Strips an optional "[ 123.456]" that kernel lines carry inside syslog/journal lines. */
function innerUptime(p: Prefix): Prefix {
  const m = RAW.exec(p.msg);
  if (m) {
    p.uptimeSec = Number(m[1]);
    p.msg = p.msg.slice(m[0].length);
  }
  return innerWallClock(p);
}

/**
 * A `dmesg -T` stamp inside another prefix ("kernel: [Di Aug 12 03:54:03 2025] msg", "[  12.3]
 * [Tue Dec  1 …] msg"): a dmesg -T paste that went through syslog, or got a prefix of its own.
 */
function innerWallClock(p: Prefix): Prefix {
  const m = p.msg.startsWith('[') ? DMESG_T.exec(p.msg) : null;
  if (!m) return p;
  const iso = isoFromParts(Number(m[5]), m[2], Number(m[3]), m[4]);
  if (iso == null) return p;
  return { ...p, msg: p.msg.slice(m[0].length), time: p.time ?? iso, timeText: p.timeText ?? m[0].trim().slice(1, -1) };
}

// What pastes put in front of a prefix: `grep -n` / `grep -n -A` numbers ("123:" on matches, "124-"
// on context lines), an editor's line numbers ("  123 "), and one or two spaces of indentation.
const LINE_NUMBER = /^\s*\d+(?:[:-]|\s+)/;
const INDENT = /^ {1,2}(?=\S)/;
// A paste that elided the start of a syslog line: "... kernel: msg", "…host kernel: msg".
const ELIDED = /^(?:\.{2,}|\u2026)\s*(?:\S*\s+)?\S*?kernel: ?/;
// A bare syslog tag with no time or host: "kernel: msg".
const BARE_TAG = /^kernel: ?/;
// rsyslog's `*.emerg :omusrmsg:*` (Debian's stock rule) writes an emergency message to every
// logged-in terminal as "\a Message from syslogd@host at <date> ..." and then " kernel:" with the
// message glued to the tag (" kernel:[   32.416642] watchdog: BUG: soft lockup …"), or after one
// space when imklog drops the printk time (" kernel: watchdog: …"). That second form is also what
// a tag-only log indented by one space looks like, so which lines are echoes is told by the
// header line before them (src/parse/kernel/log/wall-echo.ts), not here.
const WALL_ECHO = /^ kernel: ?/;
// Mail/chat quoting: "> ", possibly nested.
const QUOTE = /^(?:>\s?)+/;

/**
 * Reads the prefix of one line. Never throws; an unknown prefix gives format "console". When
 * the line has no known prefix, a line number, an indentation or an elided start in front of
 * one is taken off and the rest read again (so "123:Jan  4 …" is syslog, not console text).
 */
export function parsePrefix(raw: string): Prefix {
  if (raw.includes('\x1b')) {
    const plain = raw.replace(ANSI, '');
    if (plain !== raw) return relabel(parsePrefix(plain), 'color');
  }
  const line = raw;
  const p = parseBare(line);
  if (p.format !== 'console') return p;
  const c = line.charCodeAt(0);
  let m: RegExpExecArray | null;
  if ((c === 32 || (c >= 48 && c <= 57)) && (m = LINE_NUMBER.exec(line)) && m[0].length < line.length) {
    const rest = line.slice(m[0].length);
    const q = parseBare(rest);
    if (q.format !== 'console') return relabel(q, 'numbered');
    // A numbered wall echo or bare tag: "59: kernel:[   32.416642] watchdog: …" (grep -n), or
    // "    48\t kernel: watchdog: …" (cat -n, whose tab and the echo's own space the number took).
    const t = tagOnly(rest);
    if (t) return relabel(t, 'numbered');
  }
  if (c === 32 && (m = INDENT.exec(line))) {
    const q = parseBare(line.slice(m[0].length));
    if (q.format !== 'console') return relabel(q, 'indented');
  }
  if ((c === 46 || c === 0x2026) && (m = ELIDED.exec(line))) return innerUptime(take('elided-syslog', line.slice(m[0].length), { fromKernel: true }));
  if (c === 107 && (m = BARE_TAG.exec(line))) return innerUptime(take('kernel-tag', line.slice(m[0].length), { fromKernel: true }));
  if (c === 32 && (m = WALL_ECHO.exec(line))) return innerUptime(take(m[0].endsWith(' ') ? 'indented+kernel-tag' : 'wall', line.slice(m[0].length), { fromKernel: true }));
  // A wall echo or bare tag in a mail reply: ">  kernel:[   32.416642] watchdog: …".
  if (c === 62) {
    const t = tagOnly(line.replace(QUOTE, ''));
    if (t) return relabel(t, 'quoted');
  }
  return p;
}

/** A line that is only the kernel's tag and its message: rsyslog's wall echo, or a bare tag. */
function tagOnly(rest: string): Prefix | null {
  let m: RegExpExecArray | null;
  if ((m = WALL_ECHO.exec(rest))) return innerUptime(take(m[0].endsWith(' ') ? 'indented+kernel-tag' : 'wall', rest.slice(m[0].length), { fromKernel: true }));
  if ((m = BARE_TAG.exec(rest))) return innerUptime(take('kernel-tag', rest.slice(m[0].length), { fromKernel: true }));
  return null;
}

/**
 * The rest of a line after a `cat -n`/`grep -n` number, or null. Once an input's lines are
 * numbered, its continuation lines (no kernel prefix of their own) are numbered too.
 */
export function stripLineNumber(line: string): string | null {
  const m = /^\s*\d+(?:[:-]|\t)/.exec(line);
  return m ? line.slice(m[0].length) : null;
}

function parseBare(line: string): Prefix {
  let text = line;
  // Mail/chat quoting: "> " possibly nested.
  if (text.startsWith('>')) text = text.replace(/^(?:>\s?)+/, '');
  let m: RegExpExecArray | null;
  if (text.startsWith('[')) {
    if ((m = RAW.exec(text))) {
      let rest = text.slice(m[0].length);
      const c = CALLER.exec(rest);
      if (c && !/\s$/.test(m[0])) {
        rest = rest.slice(c[0].length);
        return take('dmesg', rest, { uptimeSec: Number(m[1]), fromKernel: true, caller: c[1] });
      }
      // journalctl -o short-monotonic: "[  118.239854] vm kernel: msg"
      const j = MONO_HOST.exec(rest);
      if (j) return take('journal-monotonic', rest.slice(j[0].length), { uptimeSec: Number(m[1]), host: j[1], fromKernel: j[2] === 'kernel' });
      return innerWallClock(take('dmesg', rest, { uptimeSec: Number(m[1]), fromKernel: true }));
    }
    if ((m = DELTA.exec(text))) {
      const rest = text.slice(m[0].length);
      const j = MONO_HOST_ANY.exec(rest);
      if (j && m[0].includes(' >]')) return take('journal-delta', rest.slice(j[0].length), { uptimeSec: Number(m[1]), host: j[1], fromKernel: j[2] === 'kernel' });
      return take('dmesg-delta', rest, { uptimeSec: Number(m[1]), fromKernel: true });
    }
    if ((m = RELTIME_DELTA.exec(text))) return take('dmesg-reltime', text.slice(m[0].length), { fromKernel: true });
    if ((m = RELTIME_BASE.exec(text)) && monthNumber(m[1]) != null) {
      return take('dmesg-reltime', text.slice(m[0].length), { timeText: `${m[1]} ${m[2]} ${m[3]}`, fromKernel: true });
    }
    if ((m = DMESG_T.exec(text))) {
      const iso = isoFromParts(Number(m[5]), m[2], Number(m[3]), m[4]);
      return take('dmesg-T', text.slice(m[0].length), { time: iso, timeText: m[0].trim().slice(1, -1), fromKernel: true });
    }
  }
  // Most lines of a big kern.log: read without patterns (prefix-classic.ts), else the patterns below.
  const k = letterAt(text, 0) ? readClassicSyslog(text) : null;
  const kMonth = k ? monthNumber(k.month) : null;
  if (k && kMonth != null) return innerUptime(syslogPrefix(text.slice(k.length), k.month, k.day, k.hms, k.host, k.tag, kMonth));
  const v = parseSyslogVariant(text);
  if (v) {
    const { length, format, ...rest } = v;
    return innerUptime(take(format, text.slice(length), rest));
  }
  // The facility (dmesg -r's "<12>" = user.warning, -x's "user  :warn  : ") tells user space
  // writing to /dev/kmsg from the kernel; facility 0 is the kernel's.
  if (text.startsWith('<') && (m = LEVEL.exec(text))) return fromUser(relabel(parseBare(text.slice(m[0].length)), 'dmesg-r'), Number(m[1]) >> 3 !== 0);
  if ((m = KMSG.exec(text))) return take('kmsg', text.slice(m[0].length), kmsgFields(m));
  if ((m = SYSLOG_ISO.exec(text))) {
    const zone = m[2] ?? '';
    return innerUptime(take('syslog-iso', text.slice(m[0].length), { time: m[1] + zone, timeText: m[1] + zone, host: m[3], fromKernel: m[4] === 'kernel' }));
  }
  if ((m = DMESG_ISO.exec(text))) return take('dmesg-iso', text.slice(m[0].length), { time: m[1] + (m[2] ?? ''), timeText: m[1] + (m[2] ?? ''), fromKernel: true });
  if ((m = SYSLOG.exec(text))) {
    const month = monthNumber(m[1]);
    if (month != null) return innerUptime(syslogPrefix(text.slice(m[0].length), m[1], m[2], m[3], m[4], m[5], month));
  }
  if ((m = FACILITY.exec(text))) return fromUser(relabel(parseBare(text.slice(m[0].length)), 'dmesg-x'), m[1] !== 'kern');
  return take('console', text);
}

function letterAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i) | 0x20;
  return c >= 97 && c <= 122;
}

/** The classic syslog prefix's fields (month: the word's number, already known to be one). */
function syslogPrefix(msg: string, monthWord: string, day: string, hms: string, host: string, tag: string, month: number): Prefix {
  return {
    msg, format: 'syslog', uptimeSec: null, time: null, timeText: `${monthWord} ${day} ${hms}`,
    noYear: { month, day: Number(day), hms }, host, fromKernel: tag === 'kernel', caller: null,
  };
}

function relabel(p: Prefix, format: string): Prefix {
  return { ...p, format: p.format === 'console' ? format : `${format}+${p.format}` };
}

function fromUser(p: Prefix, user: boolean): Prefix {
  return user ? { ...p, fromKernel: false } : p;
}
