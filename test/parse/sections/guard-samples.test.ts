import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guardSamples } from '../../../src/parse/sections/guard-samples.js';
import { fixtureLines } from '../../helpers.js';
import { assertSilent, assertSurvivesGarbage, only, sections } from './run-section.js';

// A real series recorded by `memtriage guard --record` during a plateau storm (test/fixtures/README.md).
const FIXTURE = 'guard-host-6.18-storm.jsonl';

test('a recorded storm: per-second stall and fault rates, peaks', () => {
  const { incident: s, problems } = only(guardSamples, FIXTURE, 'guard_series');
  assert.deepEqual(problems, []);
  assert.equal(s.samples, fixtureLines(FIXTURE).length);
  assert.equal(s.cgroups.length, 1);
  const c = s.cgroups[0];
  assert.equal(c.cgroup, '/mt-guard-rec');
  // 26 s of samples → one point per second (the first sample starts the first window).
  assert.ok(c.perSecond.length >= 22 && c.perSecond.length <= 26, String(c.perSecond.length));
  assert.equal(c.perSecond[0].memSomePercent, 0);
  // The storm measured in replay.test.ts: stall 26–53 % and 30–58 major faults/s once it started.
  assert.ok(c.peakMemSomePercent! >= 40 && c.peakMemSomePercent! <= 60, String(c.peakMemSomePercent));
  assert.ok(c.peakMajorFaultsPerSec! >= 40 && c.peakMajorFaultsPerSec! <= 70, String(c.peakMajorFaultsPerSec));
});

test('a line cut in the middle is a problem with its line number; the rest is read', () => {
  const lines = fixtureLines(FIXTURE).slice(0, 40);
  lines[20] = { ...lines[20], text: lines[20].text.slice(0, 50) };
  const [found] = sections(guardSamples, lines);
  assert.equal(found.incidents.length, 1);
  assert.equal(found.problems.length, 1);
  assert.equal(found.problems[0].line, 21);
});

test('silent on the decision JSON, /proc files and kernel logs; garbage', () => {
  assertSilent(guardSamples, ['guard-host-6.18-storm-bundle.decision.json', 'host-6.18-vmstat-proc.txt', 'host-6.18-memcg-v1-oom-both.journal-json.log', 'qemu-6.1-memcg-v2-oom.log']);
  assertSurvivesGarbage(guardSamples, FIXTURE);
});
