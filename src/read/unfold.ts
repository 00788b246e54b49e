/**
 * Lines folded together: a log copied from a web page or a chat often arrives as one long line
 * holding many kernel lines (seed 003 holds a whole OOM report on one line). We split before every
 * prefix that starts a kernel line, when a line holds at least two of them.
 */
/**
 * [pattern, a literal each of its matches holds a separate occurrence of]. Two matches (three
 * pieces) need the literal twice, so a line holding it less often is not split by that pattern:
 * report lines of 160+ characters are common, and splitting each with four patterns was slow.
 */
const SPLITTERS: [RegExp, string][] = [
  // syslog: "Jan 4 10:04:40 <host> kernel: " — the host may be a redacted "<host>"
  [/\s(?=[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)? \S+ kernel: )/g, ' kernel: '],
  // rsyslog ISO
  [/\s(?=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:[+-]\d\d:?\d\d|Z)? \S+ kernel: )/g, ' kernel: '],
  // dmesg -T
  [/\s(?=\[\S+ +\S+ +\d{1,2} \d\d:\d\d:\d\d \d{4}\] )/g, '] '],
  // raw dmesg "[53542.948247] " (six decimals: the kernel always prints microseconds)
  [/\s(?=\[\s*\d+\.\d{6}\] )/g, '] '],
];

function twice(text: string, literal: string): boolean {
  const i = text.indexOf(literal);
  return i !== -1 && text.indexOf(literal, i + 1) !== -1;
}

const MIN_FOLDED_LENGTH = 160;

export function unfold(text: string): string[] {
  return folded(text) ?? [text];
}

/** The pieces of a folded line, or null when it is one line (most are: no list is made for them). */
export function folded(text: string): string[] | null {
  if (text.length < MIN_FOLDED_LENGTH) return null;
  // (splitters next to each other share their literal: it is looked for once)
  let literalSeen = '';
  let holdsTwice = false;
  for (const [re, literal] of SPLITTERS) {
    if (literal !== literalSeen) {
      literalSeen = literal;
      holdsTwice = twice(text, literal);
    }
    if (!holdsTwice) continue;
    re.lastIndex = 0;
    const parts = text.split(re);
    // Folded only if several pieces start with the same kind of prefix; a single hit is a
    // normal line that happens to quote a timestamp.
    if (parts.length >= 3) return parts.filter((p) => p.length > 0);
  }
  return null;
}
