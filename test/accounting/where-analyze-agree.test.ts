import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Accounting } from '../../src/accounting/index.js';
import { analyze } from '../../src/index.js';
import type { Incident } from '../../src/model/incident.js';
import { FixtureReader } from '../../src/live/reader.js';
import { gatherWhere } from '../../src/live/where.js';
import { accountingOf } from '../../src/rules/util/unaccounted.js';
import { FIXTURES } from '../helpers.js';

/** Each incident's accounting (accountingOf), in input order, those without one left out. */
const accountings = (incidents: readonly Incident[]): Accounting[] =>
  incidents.map((inc) => accountingOf(inc, incidents)).filter((a): a is Accounting => a != null);

// The captured /proc tree of the 6.18 host: `where` reads it live, `analyze` reads the same
// meminfo, zoneinfo and vmstat as pasted files. One accounting: the same holders, the same remainder.
const TREE = join(FIXTURES, 'proc-tree-host-6.18');
const files = (names: string[]) => names.map((n) => ({ path: join(TREE, 'proc', n) }));

test('where and analyze agree on the captured /proc tree: every holder and the remainder', async () => {
  const b = await gatherWhere(new FixtureReader(TREE), { arch: 'x64' });
  const a = await analyze(files(['meminfo', 'zoneinfo', 'vmstat']), { rules: [] });
  const [acc] = accountings(a.incidents);
  const whereUn = b.parts.find((p) => p.name === 'unaccounted')!.kb;
  assert.equal(acc.unaccountedKb, whereUn);
  // Before the shared module the two said 15060 kB (where) and 72272 kB (analyze: no per-CPU
  // lists, KernelStack counted twice on this VMAP_STACK kernel).
  assert.equal(whereUn, 15060);
  for (const p of b.parts.filter((x) => x.name !== 'unaccounted')) {
    const h = acc.holders.find((x) => x.id === p.name);
    assert.ok(h, `analyze has holder ${p.name}`);
    assert.equal(h.kb, p.kb, p.name);
  }
  assert.deepEqual(acc.missing, []);
});

test('analyze of the meminfo alone: the per-CPU free lists are in the remainder, and it says so', async () => {
  const a = await analyze(files(['meminfo']), { rules: [] });
  const acc = accountings(a.incidents)[0];
  const zoneinfoCounts = 14699; // Σ "count:" of proc/zoneinfo (58796 kB in 4 KiB pages)
  assert.equal(acc.unaccountedKb, 15060 + zoneinfoCounts * 4);
  assert.ok(acc.estimates.some((e) => /per-CPU lists/.test(e)));
  assert.ok(acc.estimates.some((e) => /CONFIG_VMAP_STACK/.test(e)));
});
