import type { Finding } from '../model/finding.js';
import type { Incident } from '../model/incident.js';

/**
 * The headline: the most severe finding that names a cause, followed by the findings that
 * support it. Null when no rule reached a conclusion.
 */
export function verdictOf(findings: readonly Finding[], _incidents: readonly Incident[]): string | null {
  const lead = findings.find((f) => f.severity === 'critical') ?? findings.find((f) => f.severity === 'warning');
  return lead ? lead.title : null;
}
