import type { EvidenceLine, InputInfo } from '../model/common.js';
import type { Finding, Severity } from '../model/finding.js';
import type { Incident } from '../model/incident.js';

export interface RuleMeta {
  id: string;
  severity: Severity;
  /** One line: what the rule looks for. */
  description: string;
}

/** What a rule sees: every incident of the run, and a way to quote lines it was read from. */
export interface RuleContext {
  incidents: readonly Incident[];
  inputs: readonly InputInfo[];
  /**
   * The text of a line that belongs to an incident, for evidence; null if it was not kept.
   * A folded physical line holds several kernel lines: `needle` picks the one that contains it.
   */
  lineText(input: number, line: number, needle?: string): string | null;
  /** Evidence record for a line (text from lineText, or "" when not kept). */
  evidence(input: number, line: number, needle?: string): EvidenceLine;
}

/** A diagnosis rule: pure, incidents in, findings out (like an ESLint rule: meta + check). */
export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): Finding[];
}
