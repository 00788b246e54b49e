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
const SYSLOG = /^([A-Za-z\u00C0-\u024F\u0400-\u04FF]{3,5}\.?)\s+(\d{1,2})\s+(\d\d:\d\d:\d\d)(?:\.\d+)?\s+(\S+)\s+([^\s:]+?)(?:\[\d+\])?:\s?/;
// rsyslog RFC 3339 / journalctl short-iso: "2022-06-12T03:24:24.123+08:00 fil kernel: "
const SYSLOG_ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:[.,]\d+)?([+-]\d\d:?\d\d|Z)?\s+(\S+)\s+([^\s:]+?)(?:\[\d+\])?:\s?/;
// /dev/kmsg record: "6,1234,5678901,-;msg" (prio,seq,usec,flags;message)
const KMSG = /^(\d+),(\d+),(\d+),([^;]*);/;
// dmesg -r "<4>" and dmesg -x "kern  :warn  : "
const LEVEL = /^<\d+>/;
const MONO_HOST = /^(\S+) (kernel): /;
const FACILITY = /^[a-z]+\s*:[a-z]+\s*:\s/;

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
  return p;
}

/** Reads the prefix of one line. Never throws; an unknown prefix gives format "console". */
export function parsePrefix(line: string): Prefix {
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
      return take('dmesg', rest, { uptimeSec: Number(m[1]), fromKernel: true });
    }
    if ((m = DMESG_T.exec(text))) {
      const iso = isoFromParts(Number(m[5]), m[2], Number(m[3]), m[4]);
      return take('dmesg-T', text.slice(m[0].length), { time: iso, timeText: m[0].trim().slice(1, -1), fromKernel: true });
    }
  }
  if (text.startsWith('<') && (m = LEVEL.exec(text))) return relabel(parsePrefix(text.slice(m[0].length)), 'dmesg-r');
  if ((m = KMSG.exec(text))) {
    const caller = /(?:^|,)caller=([TC]\d+)/.exec(m[4]);
    return take('kmsg', text.slice(m[0].length), { uptimeSec: Number(m[3]) / 1e6, fromKernel: true, caller: caller ? caller[1] : null });
  }
  if ((m = SYSLOG_ISO.exec(text))) {
    const zone = m[2] ?? '';
    return innerUptime(take('syslog-iso', text.slice(m[0].length), { time: m[1] + zone, timeText: m[1] + zone, host: m[3], fromKernel: m[4] === 'kernel' }));
  }
  if ((m = DMESG_ISO.exec(text))) return take('dmesg-iso', text.slice(m[0].length), { time: m[1] + (m[2] ?? ''), timeText: m[1] + (m[2] ?? ''), fromKernel: true });
  if ((m = SYSLOG.exec(text))) {
    const month = monthNumber(m[1]);
    if (month != null) {
      const p = take('syslog', text.slice(m[0].length), {
        timeText: `${m[1]} ${m[2]} ${m[3]}`, host: m[4], fromKernel: m[5] === 'kernel',
        noYear: { month, day: Number(m[2]), hms: m[3] },
      });
      return innerUptime(p);
    }
  }
  if ((m = FACILITY.exec(text))) return relabel(parsePrefix(text.slice(m[0].length)), 'dmesg-x');
  return take('console', text);
}

function relabel(p: Prefix, format: string): Prefix {
  return { ...p, format: p.format === 'console' ? format : `${format}+${p.format}` };
}
