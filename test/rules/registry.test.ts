import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { RULES } from '../../src/rules/index.js';
import { REPO_ROOT } from '../helpers.js';

/** Files in src/rules that are machinery, not rules. */
const NOT_RULES = new Set(['index.ts', 'run.ts', 'types.ts', 'verdict.ts']);
const ruleFiles = readdirSync(join(REPO_ROOT, 'src', 'rules'), { withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !NOT_RULES.has(e.name))
  .map((e) => e.name.slice(0, -3))
  .sort();

test('RULES lists every rule file of src/rules once, and nothing else', () => {
  const ids = RULES.map((r) => r.meta.id);
  assert.equal(new Set(ids).size, ids.length, `duplicate ids in RULES: ${ids}`);
  assert.deepEqual([...ids].sort(), ruleFiles);
});

test('each rule file exports the registered rule whose meta.id is the file name', async () => {
  for (const id of ruleFiles) {
    const mod = (await import(pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'rules', `${id}.js`)).href)) as Record<string, unknown>;
    const exported = Object.values(mod).filter((v) => RULES.includes(v as never));
    assert.equal(exported.length, 1, `${id}.ts must export exactly one registered rule`);
    assert.equal((exported[0] as (typeof RULES)[number]).meta.id, id);
  }
});

test('every rule has a test file and a one-line description', () => {
  const tests = new Set(readdirSync(join(REPO_ROOT, 'test', 'rules')).filter((n) => n.endsWith('.test.ts')).map((n) => n.slice(0, -8)));
  for (const r of RULES) {
    assert.ok(tests.has(r.meta.id), `test/rules/${r.meta.id}.test.ts is missing`);
    assert.ok(r.meta.description.length > 0 && !r.meta.description.includes('\n'), `${r.meta.id}: description`);
    assert.ok(['critical', 'warning', 'info'].includes(r.meta.severity));
  }
});
