import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guardDecision } from '../../../src/parse/sections/guard-decision.js';
import { fixtureLines, toLines } from '../../helpers.js';
import { assertSilent, assertSurvivesGarbage, only, sections } from './run-section.js';

// guard/decision.json, taken verbatim out of the bundle the guard wrote on a real storm (bench/guard-record.ts bundle).
const FIXTURE = 'guard-host-6.18-storm-bundle.decision.json';

test('a real decision: cgroup, reason, the numbers as percentages, thresholds, mode and action', () => {
  const { incident: d, problems } = only(guardDecision, FIXTURE, 'guard_decision');
  assert.deepEqual(problems, []);
  const raw = JSON.parse(fixtureLines(FIXTURE).map((l) => l.text).join('\n')) as { decision: { memSomeRatio1s: number; majorFaultsPerSecHeld: number; wallMs: number; limitBytes: number } };
  assert.equal(d.cgroup, '/mt-guard-rec');
  assert.equal(d.reason, 'stall-and-major-faults');
  assert.equal(d.mode, 'dry-run');
  assert.equal(d.plannedAction, 'none');
  assert.equal(d.memSomePercent1s, Math.round(raw.decision.memSomeRatio1s * 1000) / 10);
  assert.equal(d.majorFaultsPerSecHeld, raw.decision.majorFaultsPerSecHeld);
  assert.equal(d.limitBytes, 314572800);
  assert.equal(d.time, new Date(raw.decision.wallMs).toISOString());
  assert.deepEqual(d.thresholds, { somePercent: 10, holdMs: 2000, majorFaultsPerSec: 10, severeSomePercent: 40, severeFullPercent: 30 });
  assert.equal(d.victim, null);
});

test('a cut-off decision is a problem naming the line, not an incident', () => {
  const lines = fixtureLines(FIXTURE).slice(0, 10);
  const found = sections(guardDecision, lines);
  assert.equal(found.length, 1);
  assert.equal(found[0].incidents.length, 0);
  assert.match(found[0].problems[0].message, /not complete JSON/);
  assert.equal(found[0].problems[0].line, 10);
});

test('silent on other JSON, samples, /proc files and kernel logs; garbage', () => {
  assertSilent(guardDecision, ['guard-host-6.18-storm.jsonl', 'host-6.18-meminfo.txt', 'host-6.18-memcg-v1-oom-both.journal-json.log', 'qemu-6.1-memcg-v2-oom.log']);
  assert.deepEqual(sections(guardDecision, toLines('{\n  "schema": "memtriage/analysis@1"\n}\n')), []);
  assertSurvivesGarbage(guardDecision, FIXTURE);
});
