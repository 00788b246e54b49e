import type { Line } from '../../model/common.js';
import type { ParseResult, SectionParser } from '../types.js';

/**
 * Finds and reads sections (/proc files, tool screens, crash output) among lines no kernel
 * report claimed. Each line is offered to every parser in order; the first to claim it reads it.
 */
export function runSections(parsers: readonly SectionParser[], lines: readonly Line[], out: ParseResult, claimed?: Map<string, number>, keep?: (l: Line) => void): void {
  let i = 0;
  while (i < lines.length) {
    let took = 0;
    for (const p of parsers) {
      const n = p.detect(lines, i);
      if (n > 0) {
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
}
