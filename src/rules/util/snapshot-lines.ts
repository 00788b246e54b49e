import type { EvidenceLine } from '../../model/common.js';
import type { Incident } from '../../model/incident.js';
import type { RuleContext } from '../types.js';

/**
 * Evidence for the first kept line of an incident (line..endLine) that contains `needle`
 * (or starts with it, when `start` is set). Snapshots such as /proc/meminfo keep no line per
 * field, so the rule looks the field up in the lines the section was read from.
 */
export function lineIn(ctx: RuleContext, inc: Pick<Incident, 'input' | 'line' | 'endLine'>, needle: string, start = false): EvidenceLine | null {
  for (let l = inc.line; l <= inc.endLine; l++) {
    const t = ctx.lineText(inc.input, l, needle);
    if (t == null) continue;
    if (start ? t.trimStart().startsWith(needle) : t.includes(needle)) return { input: inc.input, line: l, text: t };
  }
  return null;
}

/** Evidence for an exact line number, only when the kept text contains `needle` (else null). */
export function lineAt(ctx: RuleContext, input: number, line: number, needle: string): EvidenceLine | null {
  const t = ctx.lineText(input, line, needle);
  return t != null && t.includes(needle) ? { input, line, text: t } : null;
}

/** "95.3 %" with one decimal; small shares keep two significant digits ("0.026 %"). */
export function pct(part: number, whole: number): string {
  const v = (100 * part) / whole;
  return `${v !== 0 && Math.abs(v) < 0.1 ? v.toPrecision(2) : v.toFixed(1)} %`;
}
