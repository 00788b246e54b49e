/**
 * The syslog-family prefixes beyond the classic "Jun 12 03:24:24 host kernel: " (prefix.ts), as
 * rsyslog templates, journalctl output modes and pastes print them. Each returns the prefix's
 * fields or null; prefix.ts tries them in order.
 */
import { monthNumber } from './timestamps.js';

export interface SyslogFields {
  /** Length of the prefix: the message starts here. */
  length: number;
  format: string;
  time: string | null;
  timeText: string | null;
  noYear: { month: number; day: number; hms: string } | null;
  host: string | null;
  fromKernel: boolean | null;
}

const MONTH = '([A-Za-z\\u00C0-\\u024F\\u0400-\\u04FF]{3,5}\\.?)\\s+(\\d{1,2})\\s+(\\d\\d:\\d\\d:\\d\\d)(?:\\.\\d+)?';
const ISO = '(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)(?:[.,]\\d+)?([+-]\\d\\d:?\\d\\d|Z)?';
// A template that prints the priority as text between host and tag (rsyslog
// "<%syslogfacility-text%.%syslogseverity-text%>", sysklogd -v): "host <kern.warning> kernel: ",
// also with no space before the tag.
const PRI_TEXT = new RegExp(`^${MONTH}\\s+(\\S+)\\s+<([a-z0-9]+)\\.([a-z]+)>\\s?([^\\s:<>]+?)(?:\\[\\d+\\])?:\\s?`);
const PRI_TEXT_ISO = new RegExp(`^${ISO}\\s+(\\S+)\\s+<([a-z0-9]+)\\.([a-z]+)>\\s?([^\\s:<>]+?)(?:\\[\\d+\\])?:\\s?`);
// One word and a colon after the time: "host: msg" (a template without the tag) or, from
// `journalctl --no-hostname`, "kernel: msg". Only "kernel" is read as the tag.
// (The colon must end the word: "fe80::1 kernel: " is an IPv6 host, read by prefix.ts.)
const ONE_WORD = new RegExp(`^${MONTH}\\s+([^\\s:]+):(?=\\s|$)\\s?`);
// (dmesg --time-format iso prints ",123456" and the message right after: "…+08:00 rcu: INFO…"
// is dmesg's, so a comma fraction is not taken here.)
const ONE_WORD_ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?([+-]\d\d:?\d\d|Z)?\s+([^\s:]+):(?=\s|$)\s?/;
// RFC 5424 (rsyslog RSYSLOG_SyslogProtocol23Format): "<4>1 2026-12-01T10:28:06.993066+00:00 host kernel - - - msg"
const RFC5424 = /^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?([+-]\d\d:\d\d|Z) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+) ?/;
// journalctl -o short-unix: "1796121002.167685 host kernel: " (seconds since the epoch, UTC)
const SHORT_UNIX = /^(\d{9,11})\.(\d{1,9}) (\S+) ([^\s:]+?)(?:\[\d+\])?: ?/;
// journalctl -o short-full / with-unit: "Tue 2026-12-01 10:28:06 UTC host kernel: " (with-unit
// prints the unit instead of the tag for service messages; the kernel's stay "kernel").
const SHORT_FULL = /^[A-Za-z]{3} (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.\d+)? ([A-Za-z][\w/+-]*|[+-]\d{2,4}) (\S+) ([^\s:]+?)(?:\[\d+\])?:\s?/;

function classic(m: RegExpExecArray, format: string, host: string | null, tag: string | null): SyslogFields | null {
  const month = monthNumber(m[1]);
  if (month == null) return null;
  return {
    length: m[0].length, format, time: null, timeText: `${m[1]} ${m[2]} ${m[3]}`,
    noYear: { month, day: Number(m[2]), hms: m[3] }, host, fromKernel: tag == null ? null : tag === 'kernel',
  };
}

function iso(m: RegExpExecArray, format: string, host: string | null, tag: string | null): SyslogFields {
  const t = m[1] + (m[2] ?? '');
  return { length: m[0].length, format, time: t, timeText: t, noYear: null, host, fromKernel: tag == null ? null : tag === 'kernel' };
}

/** The one word is the tag when it is "kernel" or has a "[pid]" (no host), else the host (no tag). */
function oneWord(m: RegExpExecArray, i: number, f: SyslogFields): SyslogFields {
  const w = m[i];
  if (w === 'kernel') return { ...f, fromKernel: true };
  if (/\[\d+\]$/.test(w)) return { ...f, fromKernel: false };
  return { ...f, format: f.format.replace('nohost', 'notag'), host: w };
}

export function parseSyslogVariant(text: string): SyslogFields | null {
  let m: RegExpExecArray | null;
  const c = text.charCodeAt(0);
  if (c === 60 /* < */ && (m = RFC5424.exec(text))) {
    const t = m[2] + m[3];
    // PRI = facility * 8 + severity; facility 0 is the kernel.
    return { length: m[0].length, format: 'syslog-rfc5424', time: t, timeText: t, noYear: null, host: m[4], fromKernel: Number(m[1]) >> 3 === 0 && m[5] === 'kernel' };
  }
  if (c >= 48 && c <= 57) {
    if ((m = SHORT_UNIX.exec(text))) {
      const t = new Date(Number(m[1]) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
      return { length: m[0].length, format: 'journal-short-unix', time: t, timeText: `${m[1]}.${m[2]}`, noYear: null, host: m[3], fromKernel: m[4] === 'kernel' };
    }
    if ((m = PRI_TEXT_ISO.exec(text))) return iso(m, 'syslog-iso-pri', m[3], m[6]);
    if ((m = ONE_WORD_ISO.exec(text))) return oneWord(m, 3, iso(m, 'syslog-iso-nohost', null, null));
    return null;
  }
  if ((m = SHORT_FULL.exec(text))) {
    const t = `${m[1]}T${m[2]}`;
    return { length: m[0].length, format: 'journal-short-full', time: t, timeText: `${m[1]} ${m[2]} ${m[3]}`, noYear: null, host: m[4], fromKernel: m[5] === 'kernel' };
  }
  if ((m = PRI_TEXT.exec(text))) return classic(m, 'syslog-pri', m[4], m[7]);
  if ((m = ONE_WORD.exec(text))) {
    const f = classic(m, 'syslog-nohost', null, null);
    return f && oneWord(m, 4, f);
  }
  return null;
}
