/**
 * Recognises the common kernel-log prefixes on raw bytes, for the fast reader (fast-scan.ts).
 * It must never disagree with parsePrefix (prefix.ts): when it accepts a line, parsePrefix would
 * return the same format with a message shorter than the line. So it accepts a strict subset of
 * what the regexes there accept — plain spaces only, English month words, ASCII hosts — and
 * says "no" for anything it is unsure of; a "no" only costs speed (the line is decoded and
 * parsed as before). Formats it does not know (dmesg -r/-x, journal JSON…) always get a "no".
 */
export const FAST_FORMATS = ['dmesg', 'dmesg-T', 'kmsg', 'syslog', 'syslog-iso'] as const;
export const F_DMESG = 0, F_DMESG_T = 1, F_KMSG = 2, F_SYSLOG = 3, F_SYSLOG_ISO = 4;

/** What a recognised prefix told us; reused between lines to keep the hot loop allocation-free. */
export interface BytePrefix {
  format: number;
  /** First byte after the prefix: folded-line checks look from here on. */
  msgFrom: number;
  /** The year the prefix states (dmesg -T, ISO), or -1: syslog lines borrow it later. */
  year: number;
}

// "jan".."dec" as 24-bit keys of the lower-cased three letters.
const MONTH_KEYS = new Set(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
  .map((m) => (m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2)));
/** For probes whose result is only yes/no. */
const SCRATCH: BytePrefix = { format: 0, msgFrom: 0, year: -1 };
const KERNEL_TAG = [0x20, 0x6b, 0x65, 0x72, 0x6e, 0x65, 0x6c, 0x3a, 0x20]; // " kernel: "

const digit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** A byte that is surely \S in a JS regex: printable ASCII. Controls and UTF-8 are "unsure". */
const visible = (c: number): boolean => c > 0x20 && c < 0x7f;
const asciiSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

function isMonth(b: Uint8Array, i: number): boolean {
  return MONTH_KEYS.has(((b[i] | 0x20) << 16) | ((b[i + 1] | 0x20) << 8) | (b[i + 2] | 0x20));
}
function spaces(b: Uint8Array, i: number, e: number): number {
  while (i < e && b[i] === 0x20) i++;
  return i;
}
function digits(b: Uint8Array, i: number, e: number): number {
  while (i < e && digit(b[i])) i++;
  return i;
}
/** "hh:mm:ss" at i → index after it, or -1. */
function hms(b: Uint8Array, i: number, e: number): number {
  if (i + 8 > e) return -1;
  for (let k = 0; k < 8; k++) if (k === 2 || k === 5 ? b[i + k] !== 0x3a : !digit(b[i + k])) return -1;
  return i + 8;
}
function matchesAt(b: Uint8Array, i: number, e: number, lit: number[]): boolean {
  if (i + lit.length > e) return false;
  for (let k = 0; k < lit.length; k++) if (b[i + k] !== lit[k]) return false;
  return true;
}

/** "[  12.345678]" at i → index after "]", or -1. */
function uptime(b: Uint8Array, i: number, e: number): number {
  if (b[i] !== 0x5b) return -1;
  let j = spaces(b, i + 1, e);
  const d = j;
  j = digits(b, j, e);
  if (j === d || b[j] !== 0x2e) return -1;
  const f = j + 1;
  j = digits(b, f, e);
  return j > f && b[j] === 0x5d ? j + 1 : -1;
}

/** " host tag: [uptime] " after a syslog timestamp (SYSLOG / SYSLOG_ISO), filling msgFrom. */
function hostAndTag(b: Uint8Array, i: number, e: number, out: BytePrefix): boolean {
  if (b[i] !== 0x20) return false;
  let j = spaces(b, i, e);
  const h = j;
  while (j < e && visible(b[j])) j++;
  // "host: msg" (no tag) and "<kern.warning>kernel:" (priority text) are prefix-syslog.ts formats.
  if (j === h || b[j] !== 0x20 || b[j - 1] === 0x3a) return false;
  j = spaces(b, j, e);
  const t = j;
  if (b[t] === 0x3c) return false;
  // The tag ([^\s:]+? then an optional "[pid]") ends at the first colon.
  while (j < e && b[j] !== 0x3a) if (!visible(b[j++])) return false;
  if (j === t || j >= e) return false;
  j++;
  if (j < e && asciiSpace(b[j])) j++;
  const u = uptime(b, j, e);
  // "[Di Aug 12 03:54:03 2025] " (a dmesg -T stamp inside): prefix.ts reads its year; not counted here.
  if (u === -1 && b[j] === 0x5b && dmesgT(b, j, e, SCRATCH)) return false;
  out.msgFrom = u === -1 ? j : u;
  return true;
}

/** True when bytes [s, e) start with a prefix parsePrefix reads as one of FAST_FORMATS. */
export function readBytePrefix(b: Uint8Array, s: number, e: number, out: BytePrefix): boolean {
  const c = b[s];
  out.year = -1;
  if (c === 0x5b) return dmesg(b, s, e, out) || dmesgT(b, s, e, out);
  if (digit(c)) return kmsg(b, s, e, out) || syslogIso(b, s, e, out);
  if (((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) && s + 4 <= e && isMonth(b, s) && b[s + 3] === 0x20) return syslog(b, s, e, out);
  return false;
}

function dmesg(b: Uint8Array, s: number, e: number, out: BytePrefix): boolean {
  const u = uptime(b, s, e);
  if (u === -1) return false;
  let j = u;
  if (j < e && b[j] >= 0x80) return false;
  if (j < e && asciiSpace(b[j])) j++;
  // journalctl -o short-monotonic puts "host kernel: " after the uptime: not ours to count.
  let k = j;
  while (k < e && visible(b[k])) k++;
  if (k < e && b[k] !== 0x20 && !asciiSpace(b[k])) return false;
  if (k > j && matchesAt(b, k, e, KERNEL_TAG)) return false;
  if (b[j] === 0x5b && dmesgT(b, j, e, SCRATCH)) return false; // an inner dmesg -T stamp (prefix.ts)
  out.format = F_DMESG;
  out.msgFrom = u;
  return true;
}

function dmesgT(b: Uint8Array, s: number, e: number, out: BytePrefix): boolean {
  let j = s + 1;
  while (j < e && visible(b[j])) j++; // weekday, any locale's word as long as it is ASCII
  if (j === s + 1 || b[j] !== 0x20) return false;
  j = spaces(b, j, e);
  if (j + 4 > e || !isMonth(b, j) || b[j + 3] !== 0x20) return false;
  j = spaces(b, j + 3, e);
  const d = j;
  j = digits(b, j, e);
  if (j === d || j - d > 2 || b[j] !== 0x20) return false;
  j = hms(b, spaces(b, j, e), e);
  if (j === -1 || b[j] !== 0x20) return false;
  j = spaces(b, j, e);
  const y = j;
  j = digits(b, j, e);
  // A leading zero would make the assembler's Number(time.slice(0, 4)) differ: leave it to it.
  if (j - y !== 4 || b[j] !== 0x5d || b[y] === 0x30) return false;
  out.format = F_DMESG_T;
  out.msgFrom = j + 1;
  out.year = (b[y] - 48) * 1000 + (b[y + 1] - 48) * 100 + (b[y + 2] - 48) * 10 + (b[y + 3] - 48);
  return true;
}

function kmsg(b: Uint8Array, s: number, e: number, out: BytePrefix): boolean {
  let j = s;
  for (let field = 0; field < 3; field++) {
    const d = j;
    j = digits(b, j, e);
    if (j === d || b[j] !== 0x2c) return false;
    j++;
  }
  while (j < e && b[j] !== 0x3b) j++;
  if (j >= e) return false;
  out.format = F_KMSG;
  out.msgFrom = j + 1;
  return true;
}

function syslogIso(b: Uint8Array, s: number, e: number, out: BytePrefix): boolean {
  // 2022-06-12T03:24:24
  if (s + 19 > e) return false;
  for (let k = 0; k < 10; k++) if (k === 4 || k === 7 ? b[s + k] !== 0x2d : !digit(b[s + k])) return false;
  if (b[s + 10] !== 0x54 || hms(b, s + 11, e) === -1) return false;
  let j = s + 19;
  if (b[j] === 0x2e || b[j] === 0x2c) {
    const f = ++j;
    j = digits(b, j, e);
    if (j === f) return false;
  }
  if (b[j] === 0x5a) j++;
  else if (b[j] === 0x2b || b[j] === 0x2d) {
    if (!digit(b[j + 1]) || !digit(b[j + 2])) return false;
    j += b[j + 3] === 0x3a ? 4 : 3;
    if (!digit(b[j]) || !digit(b[j + 1])) return false;
    j += 2;
  }
  if (!hostAndTag(b, j, e, out)) return false;
  out.format = F_SYSLOG_ISO;
  out.year = (b[s] - 48) * 1000 + (b[s + 1] - 48) * 100 + (b[s + 2] - 48) * 10 + (b[s + 3] - 48);
  return true;
}

function syslog(b: Uint8Array, s: number, e: number, out: BytePrefix): boolean {
  let j = spaces(b, s + 3, e);
  const d = j;
  j = digits(b, j, e);
  if (j === d || j - d > 2 || b[j] !== 0x20) return false;
  j = hms(b, spaces(b, j, e), e);
  if (j === -1) return false;
  if (b[j] === 0x2e) {
    const f = ++j;
    j = digits(b, j, e);
    if (j === f) return false;
  }
  if (!hostAndTag(b, j, e, out)) return false;
  out.format = F_SYSLOG;
  return true;
}
