import type { InputInfo, Problem } from './common.js';
import type { Finding } from './finding.js';
import type { Incident } from './incident.js';

export const SCHEMA = 'memtriage/analysis@1';

/** The public JSON contract (shared/docs/analysis-json.md): add fields, never rename. */
export interface Analysis {
  schema: typeof SCHEMA;
  inputs: InputInfo[];
  incidents: Incident[];
  findings: Finding[];
  problems: Problem[];
  /** One-paragraph root-cause headline, when the rules reached one. */
  verdict: string | null;
}
