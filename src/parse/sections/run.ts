import type { Line } from '../../model/common.js';
import type { ParseResult, SectionParser } from '../types.js';

/** Lines a parser may need to look ahead of a section's first line to recognise it. */
export const LOOKAHEAD = 64;

/**
 * Finds and reads sections (/proc files, tool screens, crash output) among lines no kernel
 * report claimed. Each line is offered to every parser in order; the first to claim it reads it.
 * `more`: further lines will follow this batch. Then a section that reaches the batch's end, or
 * one that would start in its last LOOKAHEAD lines, is not read here: the caller keeps those
 * lines for the next batch, so no section is cut in two by the batch boundary. Returns how many
 * lines were consumed (all of them unless `more`).
 */
export function runSections(parsers: readonly SectionParser[], lines: readonly Line[], out: ParseResult, claimed?: Map<string, number>, keep?: (l: Line) => void, more = false): number {
  let i = 0;
  while (i < lines.length) {
    if (more && i >= lines.length - LOOKAHEAD) return i;
    // No section starts at a blank line: skipping them here spares every parser's detect.
    if (isBlankText(lines[i].text)) { i++; continue; }
    let took = 0;
    for (const p of parsers) {
      const n = p.detect(lines, i);
      if (n > 0) {
        if (more && i + n >= lines.length) return i;
        const part = lines.slice(i, i + n);
        if (keep) part.forEach(keep);
        const r = p.parse(part);
        for (const x of r.incidents) out.incidents.push(x);
        for (const x of r.problems) out.problems.push(x);
        claimed?.set(p.id, (claimed.get(p.id) ?? 0) + n);
        took = n;
        break;
      }
    }
    i += took > 0 ? took : 1;
  }
  return i;
}

/** "", spaces, tabs, a CR: without allocating a trimmed copy. */
function isBlankText(t: string): boolean {
  for (let k = 0; k < t.length; k++) {
    const c = t.charCodeAt(k);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
