import type { EvidenceLine } from './common.js';

export type Severity = 'critical' | 'warning' | 'info';
export const SEVERITY_ORDER: Severity[] = ['critical', 'warning', 'info'];

export interface Finding {
  /** Stable id users filter on, like an ESLint rule name ("zone-below-min"). */
  rule: string;
  severity: Severity;
  title: string;
  /** Plain sentences with the numbers, for the person on call. */
  explanation: string;
  /** Indexes into Analysis.incidents. */
  incidents: number[];
  evidence: EvidenceLine[];
  /** The numbers behind the finding, unit in the name. */
  data?: Record<string, unknown>;
  /** What to do about it, when the evidence supports advice. */
  advice?: string[];
}
