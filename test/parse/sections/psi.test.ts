import assert from 'node:assert/strict';
import { test } from 'node:test';
import { psi } from '../../../src/parse/sections/psi.js';
import { toLines } from '../../helpers.js';
import { assertSilent, assertSurvivesGarbage, only, sections } from './run-section.js';

test('6.18 memory pressure: some and full', () => {
  const { incident: p } = only(psi, 'host-6.18-pressure-memory-under-pressure.txt', 'psi_snapshot');
  assert.deepEqual(p.some, { avg10: 14.94, avg60: 23.84, avg300: 7.59, totalUsec: 25111188 });
  assert.equal(p.full?.totalUsec, 23808949);
  assert.equal(p.resource, null);
});

test('a "cat /proc/pressure/io" line names the resource; two files stay two incidents', () => {
  const cpu = toLines('some avg10=1.82 avg60=4.13 avg300=1.80 total=7330978\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0');
  const io = toLines('some avg10=0.47 avg60=1.70 avg300=0.73 total=3134777\nfull avg10=0.47 avg60=1.64 avg300=0.68 total=2860455');
  const lines = [{ input: 0, line: 1, text: '# cat /proc/pressure/io' }, ...io, ...cpu].map((l, k) => ({ ...l, line: k + 1 }));
  const found = sections(psi, lines);
  assert.equal(found.length, 2);
  const first = found[0].incidents[0];
  assert.ok(first.kind === 'psi_snapshot' && first.resource === 'io' && first.line === 1 && first.endLine === 3);
});

test('silent elsewhere; garbage', () => {
  assertSilent(psi, ['host-6.18-meminfo.txt', 'host-6.18-vmstat-proc.txt']);
  assertSurvivesGarbage(psi, 'host-6.18-pressure-io.txt');
});
