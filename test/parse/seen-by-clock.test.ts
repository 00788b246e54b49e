import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/index.js';
import type { OomKillIncident } from '../../src/model/kernel-incidents.js';
import { mergeCopies } from '../../src/parse/dedup.js';
import { SeenByClock } from '../../src/parse/seen-by-clock.js';
import { readFixture } from '../helpers.js';

// dedup's index of kept incidents by uptime (src/parse/seen-by-clock.ts): the first kept one that
// is the same record, as a scan of all of them would find, without the scan. Incidents: the real
// memcg OOM report of this host, parsed n times (kept apart), their clocks then set per case.
async function kills(uptimes: (number | null)[]): Promise<OomKillIncident[]> {
  const a = await analyze([{ name: 'x', text: readFixture('host-6.18-memcg-v1-oom.dmesg.log').repeat(uptimes.length) }], { rules: [], keepCopies: true });
  const o = a.incidents as OomKillIncident[];
  o.forEach((x, i) => { x.uptimeSec = uptimes[i]; });
  return o;
}

const within = (slack: number) => (k: OomKillIncident) => (s: { uptimeSec: number | null }) => s.uptimeSec == null || k.uptimeSec == null || Math.abs(s.uptimeSec - k.uptimeSec) <= slack + 1e-6;

test('the first kept incident in keeping order, on both sides of the 5 s slack', async () => {
  const [a, b, c, d, k] = await kills([100, 200, 103, 300, 0]);
  const seen = new SeenByClock();
  for (const x of [a, b, c, d]) seen.push(x);
  const at = (up: number) => { k.uptimeSec = up; return seen.firstSame(k, 5, within(5)(k)); };
  assert.equal(at(104), 0, '100 and 103 are within 5 s: the first kept wins');
  assert.equal(at(105), 0, 'exactly 5 s from 100');
  assert.equal(at(105.5), 2, '5.5 s from 100: only 103');
  assert.equal(at(95), 0, 'exactly 5 s before 100');
  assert.equal(at(94.5), -1, '5.5 s before 100');
  assert.equal(at(304.9), 3);
  assert.equal(at(250), -1);
});

test('kept incidents without an uptime are always looked at; a record without one is compared with all', async () => {
  const [a, none, c, k] = await kills([100, null, 300, 0]);
  const seen = new SeenByClock();
  for (const x of [a, none, c]) seen.push(x);
  k.uptimeSec = 300;
  assert.equal(seen.firstSame(k, 5, within(5)(k)), 1, 'the one without a clock comes before 300 in keeping order');
  assert.equal(seen.firstSame(k, 5, (s) => s === c), 2);
  k.uptimeSec = null;
  assert.equal(seen.firstSame(k, 5, (s) => s === c), 2);
  assert.equal(seen.firstSame(k, 5, () => true), 0);
});

test('replace: the index follows the incident put in the place', async () => {
  const [a, b, x, k] = await kills([100, 200, 250, 0]);
  const seen = new SeenByClock();
  seen.push(a);
  seen.push(b);
  seen.replace(0, x);
  k.uptimeSec = 101;
  assert.equal(seen.firstSame(k, 5, within(5)(k)), -1, '100 is gone');
  k.uptimeSec = 252;
  assert.equal(seen.firstSame(k, 5, within(5)(k)), 0);
  assert.equal(seen.list[0], x);
});

test('mergeCopies: one task killed 2,000 times 30 s apart stays 2,000 kills; the same kill 1 s apart merges', async () => {
  const n = 2000;
  const o = await kills(Array.from({ length: n }, (_, i) => 100 + 30 * i));
  assert.equal(mergeCopies(o).length, n);
  const pair = await kills([100, 101]);
  const merged = mergeCopies(pair) as OomKillIncident[];
  assert.deepEqual([merged.length, merged[0].copies?.length], [1, 1]);
});
