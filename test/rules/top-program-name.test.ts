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
