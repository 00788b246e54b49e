import type { EvidenceLine, InputInfo } from '../model/common.js';
import type { Finding, RuleId, Severity } from '../model/finding.js';
import type { Incident } from '../model/incident.js';

/**
 * The part a rule's finding plays in the story of an incident. A cause says where the memory went
 * or what blocked the machine; a mechanism how that showed (a watermark, thrashing, a hang);
 * context is background (taint, advice, protected tasks). The verdict is built from these roles.
 */
export type RuleRole = 'cause' | 'mechanism' | 'context';

/** A threshold of a rule, with its default: the policy lives in the rule, not in the verdict. */
export interface RuleOption {
  default: number;
  /** What it bounds, with its unit. */
  description: string;
}

export type RuleOptions = Record<string, number>;

export interface RuleMeta<Id extends RuleId = RuleId> {
  /**
   * Its findings' `rule`: a rule id has its finding type in src/model/findings/ (else this fails to
   * build). `RuleMeta<'its-id'>` keeps the literal, so `rule: meta.id` picks that type.
   */
  id: Id;
  severity: Severity;
  /** One line: what the rule looks for. */
  description: string;
  role: RuleRole;
  /**
   * Among findings of the same role and severity, the lower speaks first in the verdict (a named
   * driver before the bare remainder it explains). Default 50.
   */
  precedence?: number;
  /** Findings of these rules are told by this one's title and left out of the verdict when it leads. */
  subsumes?: string[];
  options?: Record<string, RuleOption>;
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
  /** `options` overrides the defaults of meta.options by name (missing names take the default). */
  check(ctx: RuleContext, options?: RuleOptions): Finding[];
}

/** meta.options' defaults with the caller's overrides; an unknown name is a programming error. */
export function optionsOf(meta: RuleMeta, overrides: RuleOptions = {}): RuleOptions {
  const out: RuleOptions = {};
  for (const [k, o] of Object.entries(meta.options ?? {})) out[k] = o.default;
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in out)) throw new Error(`rule ${meta.id} has no option "${k}" (it has: ${Object.keys(out).join(', ') || 'none'})`);
    out[k] = v;
  }
  return out;
}
