import type { Analysis } from '../model/analysis.js';

/** The public JSON (shared/docs/analysis-json.md; schema/analysis.schema.json). */
export function renderJson(a: Analysis): string {
  return JSON.stringify(a, null, 2) + '\n';
}
