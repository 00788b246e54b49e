/**
 * The classic syslog prefix ("Jun 12 03:24:24 host kernel: ") read by hand, for speed: nine in
 * ten lines of a big kern.log have it, and prefix.ts otherwise tries six patterns on each before
 * the one that matches. It accepts exactly what prefix.ts's SYSLOG pattern accepts where none of
 * the patterns tried before it (prefix-syslog.ts: short-full, "<kern.warning>" priority text,
 * "host: " one word) could match, and answers null — "ask the patterns" — for anything else:
 * non-ASCII bytes, a ':' in the host, a tag starting with '<'. test/read/prefix-classic.test.ts
 * holds it to the patterns' answers over every fixture line and a set of near misses.
 */

/** What the SYSLOG pattern's groups hold: [month word, day, hms, host, tag], and its length. */
export interface ClassicSyslog {
  length: number;
  month: string;
  day: string;
  hms: string;
  host: string;
  tag: string;
}

/** \s of a JavaScript pattern, for ASCII: space, \t, \n, \v, \f, \r. */
const space = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const digit = (c: number): boolean => c >= 48 && c <= 57;
const letter = (c: number): boolean => (c | 0x20) >= 97 && (c | 0x20) <= 122;

export function readClassicSyslog(t: string): ClassicSyslog | null {
  const n = t.length;
  let i = 0;
  while (i < n && i < 6 && letter(t.charCodeAt(i))) i++;
  if (i < 3 || i > 5) return null;
  if (t.charCodeAt(i) === 46) i++; // "Juni." and the like: an optional dot
  const month = t.slice(0, i);
  let j = i;
  while (j < n && space(t.charCodeAt(j))) j++;
  if (j === i) return null;
  const d0 = j;
  while (j < n && j - d0 < 3 && digit(t.charCodeAt(j))) j++;
  if (j === d0 || j - d0 > 2) return null;
  const day = t.slice(d0, j);
  i = j;
  while (j < n && space(t.charCodeAt(j))) j++;
  if (j === i || j + 8 > n) return null;
  // hh:mm:ss
  for (let k = 0; k < 8; k++) {
    const c = t.charCodeAt(j + k);
    if (k === 2 || k === 5 ? c !== 58 : !digit(c)) return null;
  }
  const hms = t.slice(j, j + 8);
  j += 8;
  if (t.charCodeAt(j) === 46 && digit(t.charCodeAt(j + 1))) {
    j += 2;
    while (j < n && digit(t.charCodeAt(j))) j++;
  }
  i = j;
  while (j < n && space(t.charCodeAt(j))) j++;
  if (j === i) return null;
  // host: a run of non-space; a ':' in it may make it the "host: " form (ask the patterns)
  const h0 = j;
  for (; j < n; j++) {
    const c = t.charCodeAt(j);
    if (space(c)) break;
    if (c === 58 || c > 126 || c < 32) return null;
  }
  if (j === h0 || j === n) return null;
  const host = t.slice(h0, j);
  i = j;
  while (j < n && space(t.charCodeAt(j))) j++;
  // tag: up to ':' (a space first: no match), less one trailing "[pid]"
  const g0 = j;
  if (t.charCodeAt(g0) === 60) return null; // "<kern.warning>": the priority-text form
  for (; j < n; j++) {
    const c = t.charCodeAt(j);
    if (c === 58 || space(c)) break;
    if (c > 126 || c < 32) return null;
  }
  if (j === g0 || j === n || t.charCodeAt(j) !== 58) return null;
  let tagEnd = j;
  if (t.charCodeAt(j - 1) === 93) {
    let k = j - 2;
    while (k > g0 && digit(t.charCodeAt(k))) k--;
    if (k < j - 2 && k > g0 && t.charCodeAt(k) === 91) tagEnd = k;
  }
  let length = j + 1;
  const after = t.charCodeAt(length);
  if (after > 126) return null; // a Unicode space would be the pattern's optional \s
  if (space(after)) length++;
  return { length, month, day, hms, host, tag: t.slice(g0, tagEnd) };
}
