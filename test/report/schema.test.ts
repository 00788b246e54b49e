import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { createGenerator } from 'ts-json-schema-generator';
import { analyze, render } from '../../src/index.js';
import { FIXTURES, REPO_ROOT, SEEDS } from '../helpers.js';

// The JSON contract (memtriage/analysis@1) as a JSON Schema generated from the TypeScript types
// (src/model/analysis.ts), committed as schema/analysis.schema.json so other programs can use it.
const SCHEMA_PATH = join(REPO_ROOT, 'schema', 'analysis.schema.json');
const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function errorsOf(_json: unknown): string {
  return (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`).join('; ');
}

test('the committed schema is the one the TypeScript types give (npm run schema)', () => {
  const fresh = createGenerator({ path: join(REPO_ROOT, 'src', 'model', 'analysis.ts'), tsconfig: join(REPO_ROOT, 'tsconfig.json'), type: 'Analysis' }).createSchema('Analysis');
  assert.deepEqual(JSON.parse(JSON.stringify(fresh)), schema, 'schema/analysis.schema.json is stale: run npm run schema');
});

test('the JSON output of every fixture, with every rule, follows the schema', async () => {
  const files = readdirSync(FIXTURES).filter((n) => n !== 'README.md' && statSync(join(FIXTURES, n)).isFile());
  assert.ok(files.length > 100);
  for (const f of files) {
    const json = JSON.parse(render(await analyze([{ path: join(FIXTURES, f) }]), 'json'));
    assert.ok(validate(json), `${f}: ${errorsOf(json)}`);
  }
});

test('the JSON output of every seed, and of all fixtures in one run, follows the schema', async (t) => {
  let seeds: string[] = [];
  try { seeds = readdirSync(SEEDS).map((n) => join(SEEDS, n)); } catch { /* no seeds beside the repo */ }
  if (seeds.length === 0) t.diagnostic('seeds not found beside the repo: only the all-fixtures run is checked');
  for (const s of seeds) {
    const json = JSON.parse(render(await analyze([{ path: s }]), 'json'));
    assert.ok(validate(json), `${s}: ${errorsOf(json)}`);
  }
  const all = readdirSync(FIXTURES).filter((n) => /\.(log|txt)$/.test(n)).map((n) => ({ path: join(FIXTURES, n) }));
  const json = JSON.parse(render(await analyze(all), 'json'));
  assert.ok(validate(json), errorsOf(json));
});

test('the schema rejects what breaks the contract: a renamed field, a missing one, a number as text', async () => {
  const json = JSON.parse(render(await analyze([{ path: join(FIXTURES, 'qemu-6.1-prefix-dmesg.log') }]), 'json'));
  assert.ok(validate(json));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form edits of parsed JSON
  const copy = (): any => JSON.parse(JSON.stringify(json));
  const renamed = copy();
  renamed.incidents[0].victimPid = renamed.incidents[0].victim.pid;
  delete renamed.incidents[0].victim;
  assert.equal(validate(renamed), false);
  const text = copy();
  text.incidents[0].victim.anonRssKb = '49308';
  assert.equal(validate(text), false);
  const extra = copy();
  extra.incidents[0].zones[0].freeMb = 1;
  assert.equal(validate(extra), false, 'unknown fields are caught too: add them to the types first');
});
