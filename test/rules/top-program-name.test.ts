import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../src/index.js';
import { programs, topProgramName } from '../../src/rules/where-memory-went.js';
import { FIXTURES } from '../helpers.js';

// where-memory-went's grouping key names the program holding the most rss in the task table. It is
// summed per name without the rows and the sort of programs(); it must name what programs() puts
// first (the first seen of equal sums: no fixture has such a tie at the top), and nothing when that holds no rss or the page size is unknown.
test('topProgramName: the name programs() ranks first, in every OOM report of the fixtures', async () => {
  let compared = 0, named = 0;
  for (const n of readdirSync(FIXTURES).sort()) {
    const p = join(FIXTURES, n);
    if (!statSync(p).isFile() || n.endsWith('.md')) continue;
    const a = await analyze([{ path: p }], { rules: [] }).catch(() => null);
    for (const inc of a?.incidents ?? []) {
      if (inc.kind !== 'oom_kill' || !inc.processTable) continue;
      const ranked = programs(inc.processTable.all);
      const want = ranked[0] && ranked[0].rssPages > 0 ? ranked[0].comm : null;
      assert.equal(topProgramName(inc, 4), want, `${n} line ${inc.line}`);
      assert.equal(topProgramName(inc, null), null);
      compared++;
      if (want) named++;
    }
  }
  assert.ok(compared >= 50 && named >= 50, `${compared} reports, ${named} with a program`);
});

// Ties and nothing held: made-up task tables (objects of the incident's shape, no kernel line), as
// the fixtures have neither at the top.
function incidentOf(rows: [comm: string, rssPages: number | null][]): Parameters<typeof topProgramName>[0] {
  const all = rows.map(([comm, rssPages], i) => ({
    pid: 100 + i, uid: null, tgid: null, totalVmPages: null, rssPages, rssAnonPages: null, rssFilePages: null, rssShmemPages: null,
    pgtablesBytes: null, nrPtes: null, swapEntries: null, oomAdj: null, oomScoreAdj: null, comm, line: 10 + i,
  }));
  return { kind: 'oom_kill', processTable: { rows: all.length, sumRssPages: 0, top: [], columns: [], all, line: 9 } } as unknown as Parameters<typeof topProgramName>[0];
}

test('topProgramName: equal sums at the top go to the name seen first, as programs() ranks them', () => {
  const cases: [[string, number | null][], string][] = [
    [[['alpha', 100], ['beta', 60], ['beta', 40]], 'alpha'],
    [[['beta', 40], ['alpha', 100], ['beta', 60]], 'beta'],
    [[['gamma', 5], ['alpha', 7], ['beta', 7]], 'alpha'],
    [[['alpha', 7], ['beta', 8]], 'beta'], // one page more wins
  ];
  for (const [rows, want] of cases) {
    const inc = incidentOf(rows);
    assert.equal(topProgramName(inc, 4), want, JSON.stringify(rows));
    if (inc.kind === 'oom_kill') assert.equal(programs(inc.processTable!.all)[0].comm, want, JSON.stringify(rows));
  }
});

test('topProgramName: no name when the task table holds no rss (all 0 or unknown) or has no rows', () => {
  for (const rows of [[['alpha', 0], ['beta', 0]], [['alpha', null], ['beta', null]], [['alpha', 0], ['beta', null]], []] as [string, number | null][][]) {
    assert.equal(topProgramName(incidentOf(rows), 4), null, JSON.stringify(rows));
  }
  assert.equal(topProgramName(incidentOf([['alpha', 0], ['beta', 1]]), 4), 'beta'); // one page is enough
});
