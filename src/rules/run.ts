import type { EvidenceLine, InputInfo } from '../model/common.js';
import type { Finding } from '../model/finding.js';
import { SEVERITY_ORDER } from '../model/finding.js';
import type { Incident } from '../model/incident.js';
import type { Rule, RuleContext, RuleOptions } from './types.js';
import type { LineStore } from '../read/line-store.js';

export function makeContext(incidents: readonly Incident[], inputs: readonly InputInfo[], lines: LineStore): RuleContext {
  const lineText = (input: number, line: number, needle?: string): string | null => lines.get(input, line, needle);
  return {
    incidents, inputs, lineText,
    evidence: (input: number, line: number, needle?: string): EvidenceLine => ({ input, line, text: lineText(input, line, needle) ?? '' }),
  };
}

/** Runs every rule; a rule that throws becomes a finding about itself instead of killing the run. */
export function runRules(rules: readonly Rule[], ctx: RuleContext, options: Record<string, RuleOptions> = {}): Finding[] {
  const out: Finding[] = [];
  for (const r of rules) {
    try {
      for (const f of r.check(ctx, options[r.meta.id])) out.push(f);
    } catch (e) {
      out.push({ rule: r.meta.id, severity: 'info', title: `rule ${r.meta.id} failed`, explanation: `The rule could not run on this input (${(e as Error).message}). This is a bug in memtriage; the other findings stand.`, incidents: [], evidence: [] } as Finding);
    }
  }
  return out.sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
}
