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
  /** Present when --since/--until/--kind (or a library filter) chose incidents. */
  filter?: FilterSummary;
}

/** What a filter kept, so "none in that window" is never confused with "nothing happened". */
export interface FilterSummary {
  /** "between 2022-06-12 03:00 and 2022-06-12 04:00", "of kind oom_kill", … */
  description: string;
  incidentsBefore: number;
  incidentsKept: number;
  /** Incidents left out because they lack the timestamp the filter needs (no wall clock, no uptime). */
  incidentsUnplaced: number;
}
