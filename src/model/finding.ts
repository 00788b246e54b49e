import type { EvidenceLine } from './common.js';
import type { RuleFinding } from './findings/index.js';

export type Severity = 'critical' | 'warning' | 'info';
export const SEVERITY_ORDER: Severity[] = ['critical', 'warning', 'info'];

/** What every finding carries, whichever rule made it. */
export interface FindingBase {
  /** Stable id users filter on, like an ESLint rule name ("zone-below-min"). */
  rule: string;
  severity: Severity;
  title: string;
  /** Plain sentences with the numbers, for the person on call. */
  explanation: string;
  /** Indexes into Analysis.incidents. */
  incidents: number[];
  evidence: EvidenceLine[];
  /** The numbers behind the finding, unit in the name: each rule's own shape (src/model/findings/). */
  data?: object;
  /** What to do about it, when the evidence supports advice. */
  advice?: string[];
}

/** A finding: a union on `rule`, each rule with its own `data` (src/model/findings/<rule>.ts). */
export type Finding = RuleFinding;
export type { RuleId } from './findings/index.js';
