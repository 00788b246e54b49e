import assert from 'node:assert/strict';
import { analyze, type Analysis, type Finding } from '../../src/index.js';
import type { Rule } from '../../src/rules/types.js';
import { fixturePath, seedPath } from '../helpers.js';

/** "seed:000" is the whole seed file from ../shared/seeds; anything else a fixture name. */
export function sourcePath(name: string): string | null {
  return name.startsWith('seed:') ? seedPath(name.slice(5)) : fixturePath(name);
}

/** True when every input of a case is present (the seeds live beside the repo, not in it). */
export const available = (names: string[]): boolean => names.every((n) => sourcePath(n) != null);

/** Runs only `rule` over the inputs, together in one analysis. */
export async function runRule(rule: Rule, names: string[]): Promise<{ findings: Finding[]; analysis: Analysis }> {
  const analysis = await analyze(names.map((n) => ({ path: sourcePath(n)! })), { rules: [rule] });
  for (const f of analysis.findings) {
    assert.notEqual(f.title.startsWith(`rule ${rule.meta.id} failed`), true, f.explanation);
    assert.equal(f.rule, rule.meta.id);
    for (const e of f.evidence) assert.notEqual(e.text, '', `evidence line ${e.line} of ${f.rule} has no text`);
    for (const i of f.incidents) assert.ok(analysis.incidents[i], `finding points at incident ${i}`);
  }
  return { findings: analysis.findings, analysis };
}

/** Runs the rule and expects exactly one finding. */
export async function only(rule: Rule, names: string[]): Promise<Finding> {
  const { findings } = await runRule(rule, names);
  assert.equal(findings.length, 1, `expected one ${rule.meta.id} finding on ${names.join(' + ')}, got ${findings.map((f) => f.title).join(' | ') || 'none'}`);
  return findings[0];
}

/** Text of a finding's evidence, joined, for "quotes this line" checks. */
export const evidenceText = (f: Finding): string => f.evidence.map((e) => e.text).join('\n');
