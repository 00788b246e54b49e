import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, RuleId, Severity } from '../../src/model/finding.js';
import { RULES } from '../../src/rules/index.js';
import type { Rule, RuleRole } from '../../src/rules/types.js';
import { verdictOf } from '../../src/rules/verdict.js';
import { analyzeFixtures } from '../helpers.js';

// The verdict reads roles from the rules it is given, so these rules exist only here (ids cast:
// they have no finding type in src/model/findings/).
const rule = (id: string, role: RuleRole, precedence = 50, subsumes?: string[]): Rule => ({ meta: { id: id as RuleId, role, precedence, subsumes, severity: 'warning', description: id }, check: () => [] });
const f = (ruleId: string, severity: Severity, title: string, incidents = [0]): Finding => ({ rule: ruleId, severity, title, explanation: '', incidents, evidence: [] }) as Finding;
const RULESET = [rule('a-cause', 'cause', 10, ['a-remainder']), rule('b-cause', 'cause', 20), rule('a-remainder', 'cause', 40), rule('a-mech', 'mechanism', 10), rule('b-mech', 'mechanism', 20), rule('ctx', 'context')];

test('the cause leads and the mechanism follows, whatever order the findings come in', () => {
  const fs = [f('a-mech', 'critical', 'Zone fell below min'), f('b-cause', 'warning', 'One program leaked')];
  assert.equal(verdictOf(fs, [], RULESET), 'One program leaked. Zone fell below min.');
  assert.equal(verdictOf([...fs].reverse(), [], RULESET), 'One program leaked. Zone fell below min.');
});

test('roles come from meta: the same finding is a cause under one rule set and context under another', () => {
  const fs = [f('x', 'warning', 'X happened'), f('a-mech', 'warning', 'Thrash')];
  assert.equal(verdictOf(fs, [], [rule('x', 'cause'), ...RULESET]), 'X happened. Thrash.');
  assert.equal(verdictOf(fs, [], [rule('x', 'context'), ...RULESET]), 'Thrash.');
});

test('context and info findings never lead; nothing at all gives null', () => {
  assert.equal(verdictOf([f('ctx', 'critical', 'Tainted'), f('b-cause', 'info', 'maybe')], [], RULESET), null);
  assert.equal(verdictOf([], [], RULESET), null);
});

test('severity first, then precedence, among causes', () => {
  assert.equal(verdictOf([f('a-cause', 'warning', 'A'), f('b-cause', 'critical', 'B')], [], RULESET), 'B.');
  assert.equal(verdictOf([f('b-cause', 'warning', 'B'), f('a-cause', 'warning', 'A')], [], RULESET), 'A.');
});

test('same severity: the finding about the latest incident leads, whatever the rules\' precedence; on one incident precedence decides', () => {
  // a-cause has precedence 10, b-cause 20: b-cause speaks of a later incident, so it leads.
  const fs = [f('a-cause', 'warning', 'A on the first OOM', [0]), f('b-cause', 'warning', 'B on the second OOM', [4])];
  assert.equal(verdictOf(fs, [], RULESET), 'B on the second OOM.');
  assert.equal(verdictOf([...fs].reverse(), [], RULESET), 'B on the second OOM.');
  assert.equal(verdictOf([f('b-cause', 'warning', 'B', [4]), f('a-cause', 'warning', 'A', [4])], [], RULESET), 'A.');
  // The most severe still wins over the latest.
  assert.equal(verdictOf([f('a-cause', 'critical', 'A on the first OOM', [0]), f('b-cause', 'warning', 'B on the second OOM', [4])], [], RULESET), 'A on the first OOM.');
});

test('a cause that subsumes another keeps it out of the sentence', () => {
  const fs = [f('a-remainder', 'critical', '33 GiB held by no counter'), f('a-cause', 'critical', 'The nvidia driver holds it')];
  assert.equal(verdictOf(fs, [], RULESET), 'The nvidia driver holds it.');
  // Without the subsuming cause, the remainder is the cause.
  assert.equal(verdictOf([fs[0]], [], RULESET), '33 GiB held by no counter.');
  // The remainder rated more severe, or also about a later incident, still does not speak instead of the named driver…
  assert.equal(verdictOf([f('a-remainder', 'critical', '33 GiB held by no counter'), f('a-cause', 'warning', 'The nvidia driver holds it')], [], RULESET), 'The nvidia driver holds it.');
  assert.equal(verdictOf([f('a-remainder', 'warning', '33 GiB held by no counter', [0, 3]), f('a-cause', 'warning', 'The nvidia driver holds it', [0])], [], RULESET), 'The nvidia driver holds it.');
  // …but a subsuming finding at info level, or about other incidents, hides nothing.
  assert.equal(verdictOf([f('a-remainder', 'critical', '33 GiB held by no counter'), f('a-cause', 'info', 'maybe the driver')], [], RULESET), '33 GiB held by no counter.');
  assert.equal(verdictOf([f('a-remainder', 'critical', '33 GiB held by no counter', [2]), f('a-cause', 'warning', 'The nvidia driver holds it', [0])], [], RULESET), '33 GiB held by no counter.');
});

test('several incidents: the latest of the most severe is spoken of, with how many came before', () => {
  const fs = [f('a-mech', 'critical', 'Zone DMA32 2 kB short', [0]), f('a-mech', 'critical', 'Zone DMA32 9 kB short', [3]), f('a-mech', 'critical', 'Zone DMA32 5 kB short', [1]), f('a-mech', 'warning', 'later but milder', [7])];
  assert.equal(verdictOf(fs, [], RULESET), 'Zone DMA32 9 kB short (2 earlier such findings in this input).');
});

test('real inputs: a tmpfs OOM is explained by its holder, not by the process the OOM killer picked', async () => {
  const a = await analyzeFixtures(['qemu-6.1-tmpfs-full-oom.log'], RULES);
  assert.equal(a.verdict, 'tmpfs or shared memory holds 418.9 MiB (91.6 %); killing processes does not free it. Zone DMA32 fell below its min watermark (12 kB short).');
  const roles = new Map(RULES.map((r) => [r.meta.id, r.meta.role]));
  for (const r of RULES) assert.ok(['cause', 'mechanism', 'context'].includes(r.meta.role), r.meta.id);
  assert.equal(roles.get('driver-suspect'), 'cause');
  assert.equal(roles.get('taint'), 'context');
});
