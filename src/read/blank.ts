/**
 * Whether a string is only white space as String.prototype.trim() takes it off (so `isBlank(s)`
 * is `s.trim() === ''`), without making the trimmed copy: every line inside a report is asked,
 * and a message that starts or ends with spaces (call-trace frames, task-table rows) would
 * otherwise cost a new string each time. Most lines answer at their first character.
 */
export function isBlank(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 32 || (c >= 9 && c <= 13)) continue;
    if (c < 0xa0) return false;
    // The other characters trim() takes: Unicode space separators (Zs), the line and paragraph
    // separators, and the byte order mark.
    if (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
        c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff) continue;
    return false;
  }
  return true;
}

/**
 * The first character after ASCII white space, for a cheap look before a /^\s*word/ pattern:
 * its code, 0 when there is none, or -1 when it is beyond ASCII (it may be a Unicode space the
 * pattern's \s would skip: ask the pattern).
 */
export function firstNonSpace(s: string): number {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 32 || (c >= 9 && c <= 13)) continue;
    return c < 128 ? c : -1;
  }
  return 0;
}
