import type { Analysis } from '../model/analysis.js';

/**
 * The public JSON (shared/docs/analysis-json.md). memInfoReport repeats memInfo and zones, which
 * the contract puts at the incident's top level; the copy is left out here to halve the size.
 */
export function renderJson(a: Analysis): string {
  return JSON.stringify(a, (key, value) => {
    if (key === 'memInfoReport' && value && typeof value === 'object') {
      const { memInfo: _m, zones: _z, ...rest } = value as Record<string, unknown>;
      return rest;
    }
    return value;
  }, 2) + '\n';
}
