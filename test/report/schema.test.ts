import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { analyze, render } from '../../src/index.js';
import { KERNEL_INCIDENT_KINDS } from '../../src/parse/kernel/registry.js';
import { RULES } from '../../src/rules/index.js';
import { generateSchema, SCHEMA_PATH } from '../../scripts/schema.js';
import { FIXTURES, REPO_ROOT, SEEDS } from '../helpers.js';

// The JSON contract (memtriage/analysis@1) as a JSON Schema generated from the TypeScript types
// (src/model/analysis.ts, by scripts/schema.ts), committed as schema/analysis.schema.json so other
// programs can use it.
const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function errorsOf(_json: unknown): string {
  return (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`).join('; ');
}

test('the committed schema is the one the TypeScript types give (npm run schema)', () => {
  assert.deepEqual(JSON.parse(JSON.stringify(generateSchema())), schema, 'schema/analysis.schema.json is stale: run npm run schema');
});

test('the schema has a shape for every kernel incident kind the registry knows, with its own fields', () => {
  // The kernel incident union is derived from src/parse/kernel/registry.ts (scripts/schema.ts resolves it).
  type Def = { $ref?: string; anyOf?: Def[]; properties?: Record<string, { const?: string; enum?: string[]; type?: string }>; required?: string[] };
  const defs = (schema.definitions ?? {}) as Record<string, Def>;
  const members = defs.KernelIncident.anyOf!.map((r) => defs[r.$ref!.replace('#/definitions/', '')]);
  const kindsOf = (d: Def): string[] => { const k = d.properties?.kind; return k?.const ? [k.const] : k?.enum ?? []; };
  const covered = members.flatMap(kindsOf);
  assert.deepEqual([...KERNEL_INCIDENT_KINDS].filter((k) => !covered.includes(k)), [], 'kernel incident kinds without a shape in the schema');
  assert.deepEqual(covered.filter((k) => !KERNEL_INCIDENT_KINDS.includes(k as never)), [], 'shapes of kinds no module makes');
  // Each shape has more than the base fields (the kind's own ones were read, not lost).
  const base = Object.keys(members[0].properties!).filter((k) => members.every((m) => k in m.properties!));
  for (const m of members) assert.ok(Object.keys(m.properties!).length > base.length, `${kindsOf(m).join('/')} has only the base fields`);
  // and a representative own field per known kind (a renamed field would change these)
  const fieldOf: Record<string, string> = { oom_kill: 'victim', page_alloc_failure: 'gfpMask', hung_task: 'seconds', soft_lockup: 'cpu', rcu_stall: 'expedited', warning: 'location', sysrq_blocked: 'tasks' };
  for (const [kind, field] of Object.entries(fieldOf)) assert.ok(members.find((m) => kindsOf(m).includes(kind))?.properties?.[field], `${kind}.${field}`);
});

// Rules whose findings the runs below validated: each rule's `data` has its own shape in the
// schema (src/model/findings/), so a rule none of them fires on would have an unchecked shape.
const validatedRules = new Set<string>();
const noteRules = (json: unknown): void => { for (const f of (json as { findings: { rule: string }[] }).findings) validatedRules.add(f.rule); };
let seedsFound = false;

test('the JSON output of every fixture, with every rule, follows the schema', async () => {
  const files = readdirSync(FIXTURES).filter((n) => n !== 'README.md' && statSync(join(FIXTURES, n)).isFile());
  assert.ok(files.length > 100);
  for (const f of files) {
    const json = JSON.parse(render(await analyze([{ path: join(FIXTURES, f) }]), 'json'));
    assert.ok(validate(json), `${f}: ${errorsOf(json)}`);
    noteRules(json);
  }
});

test('the JSON output of every seed, and of all fixtures in one run, follows the schema', async (t) => {
  let seeds: string[] = [];
  try { seeds = readdirSync(SEEDS).map((n) => join(SEEDS, n)); } catch { /* no seeds beside the repo */ }
  if (seeds.length === 0) t.diagnostic('seeds not found beside the repo: only the all-fixtures run is checked');
  for (const s of seeds) {
    const json = JSON.parse(render(await analyze([{ path: s }]), 'json'));
    assert.ok(validate(json), `${s}: ${errorsOf(json)}`);
    noteRules(json);
  }
  seedsFound = seeds.length > 0;
  const all = readdirSync(FIXTURES).filter((n) => /\.(log|txt)$/.test(n)).map((n) => ({ path: join(FIXTURES, n) }));
  const json = JSON.parse(render(await analyze(all), 'json'));
  assert.ok(validate(json), errorsOf(json));
  noteRules(json);
});

test('every rule fired in the runs above, so every rule\'s data shape was checked against its schema', () => {
  // These fire only on the seed write-ups (process tables over time, a crash dump's locks, seed 004's sysctl).
  const SEED_ONLY: string[] = ['lock-convoy', 'min-free-kbytes', 'process-growth'];
  const missing: string[] = RULES.map((r) => r.meta.id).filter((id) => !validatedRules.has(id));
  assert.deepEqual(missing, seedsFound ? [] : SEED_ONLY.filter((id) => missing.includes(id)));
  assert.ok(missing.every((id) => SEED_ONLY.includes(id)), `never fired: ${missing.join(', ')}`);
});

test('a finding\'s data has the shape of its rule: the schema is a union on `rule`', async () => {
  const defs = (schema.definitions ?? {}) as Record<string, { properties?: { rule?: { const?: string } }; anyOf?: { $ref: string }[] }>;
  const union = defs.RuleFinding.anyOf!.map((r) => defs[r.$ref.replace('#/definitions/', '')].properties!.rule!.const);
  assert.deepEqual([...union].sort(), RULES.map((r) => r.meta.id).sort(), 'one finding type per rule in src/rules/, and no other');
  const files = readdirSync(join(REPO_ROOT, 'src', 'model', 'findings')).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'shared.ts');
  assert.deepEqual(files.map((f) => f.replace(/\.ts$/, '')).sort(), RULES.map((r) => r.meta.id).sort(), 'src/model/findings/<rule id>.ts for each rule');
  const json = JSON.parse(render(await analyze([{ path: join(FIXTURES, 'qemu-5.10-global-oom.dmesg-T.log') }]), 'json')) as { findings: { rule: string }[] };
  assert.ok(validate(json), errorsOf(json));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form edits of parsed JSON
  const copy = (): any => JSON.parse(JSON.stringify(json));
  const at = (j: { findings: { rule: string }[] }, rule: string): number => j.findings.findIndex((f) => f.rule === rule);
  assert.ok(at(json, 'zone-below-min') >= 0 && at(json, 'program-memory') >= 0);
  const swapped = copy();
  swapped.findings[at(swapped, 'zone-below-min')].data = swapped.findings[at(swapped, 'program-memory')].data;
  assert.equal(validate(swapped), false, 'another rule\'s data is rejected');
  const renamed = copy();
  const d = renamed.findings[at(renamed, 'zone-below-min')].data;
  d.freeKilobytes = d.freeKb;
  delete d.freeKb;
  assert.equal(validate(renamed), false, 'a renamed data field is rejected');
  const text = copy();
  text.findings[at(text, 'program-memory')].data.rssKb = '1';
  assert.equal(validate(text), false, 'a number as text is rejected');
  const unknown = copy();
  unknown.findings[0].rule = 'no-such-rule';
  assert.equal(validate(unknown), false, 'an unknown rule id is rejected');
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
