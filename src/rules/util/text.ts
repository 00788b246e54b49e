import type { EvidenceLine } from '../../model/common.js';
import type { Incident } from '../../model/incident.js';
import { formatKb } from '../../model/units.js';
import type { RuleContext } from '../types.js';

/** "947680 kB (925.5 MiB)": the exact number first, a human size after it when it helps. */
export function kb(n: number): string {
  return Math.abs(n) >= 1024 ? `${n} kB (${formatKb(n)})` : `${n} kB`;
}

/** "at Jun 12 03:27:26" / "at 63212.46 s after boot" / "" — the incident's clock as printed. */
export function when(inc: Incident): string {
  if (inc.timeText) return ` at ${inc.timeText}`;
  if (inc.uptimeSec != null) return ` at ${inc.uptimeSec} s after boot`;
  return '';
}


/**
 * Evidence for a kernel line printed at or just after `line` (a zone's lowmem_reserve line
 * follows it; in a folded paste both sit on the same physical line), or null if not found.
 */
export function evidenceNear(ctx: RuleContext, input: number, line: number, needle: string, span = 2): EvidenceLine | null {
  for (let l = line; l <= line + span; l++) {
    const t = ctx.lineText(input, l, needle);
    if (t != null && t.includes(needle)) return { input, line: l, text: t };
  }
  return null;
}

/** Drops repeated evidence lines (same input, line and text), keeping the first. */
export function uniqueEvidence(list: (EvidenceLine | null)[]): EvidenceLine[] {
  const seen = new Set<string>();
  const out: EvidenceLine[] = [];
  for (const e of list) {
    if (!e) continue;
    const k = `${e.input}:${e.line}:${e.text}`;
    if (!seen.has(k)) { seen.add(k); out.push(e); }
  }
  return out;
}

const HEADER_NEEDLES = ['invoked oom-killer', 'allocation failure', 'Out of memory', 'blocked for more than', 'soft lockup', 'WARNING:', 'BUG:', 'Oops', 'Mem-Info', 'Show Memory'];

/** The line an incident starts on, picking the report header inside a folded physical line. */
export function headerEvidence(ctx: RuleContext, inc: Incident): EvidenceLine {
  for (const n of HEADER_NEEDLES) {
    const t = ctx.lineText(inc.input, inc.line, n);
    if (t != null && t.includes(n)) return { input: inc.input, line: inc.line, text: t };
  }
  return ctx.evidence(inc.input, inc.line);
}
