import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KernelIncident } from '../../../src/model/kernel-incidents.js';
import { borrowKernelVersions } from '../../../src/parse/kernel/log/kernel-versions.js';

/**
 * The rule as first written (and as the README states it), one pass over every report per cut
 * report: the nearest report of the same boot by line, the earlier one first on a tie. The
 * indexed version must choose exactly the same source.
 */
function reference(incidents: KernelIncident[]): void {
  const known = incidents.filter((i) => 'kernel' in i && i.kernel?.version != null);
  for (const inc of incidents) {
    if (!('kernel' in inc) || !inc.kernel || inc.kernel.version != null) continue;
    const mine = known.filter((k) => k.input === inc.input);
    const oneVersion = new Set(mine.map((k) => ('kernel' in k ? k.kernel?.version : null))).size === 1;
    const sameBoot = (k: KernelIncident): boolean => k.uptimeSec != null && inc.uptimeSec != null
      ? (k.line < inc.line) === (k.uptimeSec <= inc.uptimeSec) : oneVersion;
    const from = mine.filter(sameBoot).sort((a, b) => Math.abs(a.line - inc.line) - Math.abs(b.line - inc.line))[0];
    if (from && 'kernel' in from && from.kernel) inc.kernel = { ...inc.kernel, version: from.kernel.version, versionFromLine: from.line };
  }
}

type Spec = [input: number, line: number, uptimeSec: number | null, version: string | null];
const make = (specs: Spec[]): KernelIncident[] => specs.map(([input, line, uptimeSec, version], n) =>
  ({ kind: 'oom_kill', id: n, input, line, uptimeSec, kernel: { version, taint: null } }) as unknown as KernelIncident);
const versions = (xs: KernelIncident[]): unknown[] => xs.map((x) => 'kernel' in x && x.kernel ? [x.kernel.version, x.kernel.versionFromLine] : null);

test('a cut report borrows from the nearest report by line; on a tie the earlier line', () => {
  const xs = make([[0, 10, 1, 'A'], [0, 20, 2, null], [0, 30, 3, 'B'], [0, 41, 4, null], [0, 50, 5, 'C']]);
  borrowKernelVersions(xs);
  // Line 20: 10 and 30 are both 10 lines away, the earlier wins; line 41: 50 is nearer than 30.
  assert.deepEqual(versions(xs), [['A', undefined], ['A', 10], ['B', undefined], ['C', 50], ['C', undefined]]);
});

test('a report of another boot (uptime going the other way) is passed over for a farther one', () => {
  // Line 22 restarts the clock (a reboot, uptime 1 s after 6 s): the report 2 lines before it is
  // of the old boot; the one 18 lines after it (uptime 3 s) is of its own.
  const xs = make([[0, 10, 5, 'old'], [0, 20, 6, 'old'], [0, 22, 1, null], [0, 40, 3, 'new']]);
  borrowKernelVersions(xs);
  assert.deepEqual(versions(xs)[2], ['new', 40]);
});

test('the indexed walk chooses what the one-pass rule chooses (random boots, ties, inputs, missing uptimes)', () => {
  let seed = 7;
  const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let round = 0; round < 400; round++) {
    const specs: Spec[] = [];
    let line = 0;
    for (let k = rand(40) + 1; k > 0; k--) {
      line += rand(3); // several reports may start on one line
      specs.push([rand(2), line, rand(5) === 0 ? null : rand(20), rand(3) === 0 ? null : ['a', 'b', 'c'][rand(3)]]);
    }
    const a = make(specs), b = make(specs);
    borrowKernelVersions(a);
    reference(b);
    assert.deepEqual(versions(a), versions(b), JSON.stringify(specs));
  }
});
