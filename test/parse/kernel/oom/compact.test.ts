import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../../../src/index.js';
import type { OomKillIncident } from '../../../../src/model/kernel-incidents.js';
import { compactAny } from '../../../../src/parse/kernel/common/fast-record.js';
import { compactOom } from '../../../../src/parse/kernel/oom/compact.js';
import { FIXTURES } from '../../../helpers.js';

/** A counter record fastRecord copies: ≥ 8 keys, every value a number. */
const isRecord = (v: object): boolean => Object.keys(v).length >= 8 && Object.values(v).every((x) => typeof x === 'number');

/** Every array and every counter record reachable from v, with its path. */
function parts(v: unknown, path = '', out = new Map<object, string>()): Map<object, string> {
  if (v === null || typeof v !== 'object' || out.has(v)) return out;
  if (Array.isArray(v) || isRecord(v)) out.set(v, path);
  for (const [k, x] of Object.entries(v)) parts(x, `${path}.${k}`, out);
  return out;
}

/** Paths of the frozen (shared) arrays reachable from v. */
function frozenPaths(v: unknown): string[] {
  return [...parts(v)].filter(([o]) => Array.isArray(o) && Object.isFrozen(o)).map(([, p]) => p).sort();
}

// compactOom does what the generic walk (fast-record.ts) does to any incident, field by field. On
// every fixture's OOM reports, as the parser left them (rebuilt from JSON, each record key by key):
// the same JSON, no array or large record of the parser's left in place (each replaced by an exact
// copy or a shared list), and the lists the generic walk shares shared too.
test('every fixture: compactOom leaves the JSON and replaces the arrays and records the generic walk does', async () => {
  let reports = 0, shared = 0;
  for (const name of readdirSync(FIXTURES).filter((n) => n !== 'README.md' && statSync(join(FIXTURES, n)).isFile())) {
    // Copies kept apart: a merged incident's `copies` list is dedup's, made after compaction.
    const a = await analyze([{ path: join(FIXTURES, name) }], { rules: [], keepCopies: true });
    for (const inc of a.incidents) {
      if (inc.kind !== 'oom_kill') continue;
      const json = JSON.stringify(inc);
      const keyed = (): OomKillIncident => JSON.parse(json, (_k, v) => {
        if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
        const r: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) r[k] = x;
        return r;
      });
      const mine = keyed(), generic = keyed();
      const before = parts(mine);
      compactOom(mine);
      compactAny(generic);
      const where = `${name} line ${inc.line}`;
      assert.equal(JSON.stringify(mine), json, where);
      assert.equal(JSON.stringify(generic), json, where);
      for (const [o, path] of parts(mine)) assert.ok(!before.has(o), `${where}: ${path} is the parser's own, not compacted`);
      assert.deepEqual(frozenPaths(mine), frozenPaths(generic), where);
      shared += frozenPaths(mine).length;
      reports++;
    }
  }
  assert.ok(reports > 100 && shared > 100, `OOM reports: ${reports}, shared lists: ${shared}`);
});
