import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optionsOf } from '../../src/rules/types.js';
import { unaccountedMemory } from '../../src/rules/unaccounted-memory.js';
import { isLarge, largestUnaccounted, unaccountedOf, type Unaccounted } from '../../src/rules/util/unaccounted.js';
import { analyze } from '../../src/index.js';
import { fixturePath } from '../helpers.js';

const LARGE = optionsOf(unaccountedMemory.meta) as Parameters<typeof isLarge>[1];

/** The definition driver-suspect used before (every report's remainder in a list, sorted), kept here as the reference. */
function reference(incidents: Parameters<typeof largestUnaccounted>[0], o: typeof LARGE): Unaccounted | null {
  const all: Unaccounted[] = [];
  incidents.forEach((inc, i) => { const u = unaccountedOf(inc, i, incidents); if (u) all.push(u); });
  return all.filter((u) => isLarge(u, o)).sort((a, b) => b.unaccountedKb - a.unaccountedKb)[0] ?? null;
}

// driver-suspect compares a driver with the largest remainder of the run; it is found keeping one
// report at a time. Several reports in one run (inputs analyzed together), both sides of the
// "large" threshold (the order-9 failures leave ≈ 480 MB outside the counters of ≈ 1 GB, the
// global OOMs a few MB), and two equal remainders (the same report kept twice): the first wins.
test('largestUnaccounted: the largest large remainder, the first of equals, as the sorted list gave it', async () => {
  const zero = { ...LARGE, reportShare: 0, reportBigKb: 0, reportBigShare: 0 };
  const failures = ['qemu-4.4-global-oom-flapping.log', 'qemu-3.10-page-alloc-failure-order9-atomic.log', 'qemu-6.1-global-oom.log', 'qemu-4.4-page-alloc-failure-order9-atomic.log'];
  const small = ['qemu-4.4-global-oom-flapping.log', 'qemu-6.1-global-oom.log', 'qemu-4.4-sysrq-m.log'];
  const cases: [string[], typeof LARGE, number | null][] = [
    [failures, LARGE, 496076], [failures, zero, 496076], [[...failures].reverse(), LARGE, 496076],
    [small, LARGE, null], [small, zero, 7196],
    [['qemu-6.1-global-oom.log', 'qemu-6.1-global-oom.log'], zero, 7196],
  ];
  for (const [group, o, kb] of cases) {
    const a = await analyze(group.map((n) => ({ path: fixturePath(n) })), { rules: [], keepCopies: true });
    const got = largestUnaccounted(a.incidents, o);
    const want = reference(a.incidents, o);
    assert.equal(got?.unaccountedKb ?? null, kb, group.join(' + '));
    assert.equal(got?.index ?? null, want?.index ?? null, group.join(' + '));
  }
  const twice = await analyze([0, 1].map(() => ({ path: fixturePath('qemu-6.1-global-oom.log') })), { rules: [], keepCopies: true });
  const first = twice.incidents.findIndex((inc, i) => unaccountedOf(inc, i, twice.incidents) != null);
  assert.equal(largestUnaccounted(twice.incidents, zero)?.index, first, 'the first of two equal remainders');
});
