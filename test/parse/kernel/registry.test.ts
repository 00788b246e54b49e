import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../../src/index.js';
import { KERNEL_KINDS, kindOfIncident } from '../../../src/parse/kernel/registry.js';
import { parsePrefix } from '../../../src/read/prefix.js';
import { FIXTURES, REPO_ROOT } from '../../helpers.js';

// A kernel report kind is one folder of src/parse/kernel/ whose kind.ts is the kind module
// (markers, start, which lines belong, parse, summary, details), listed once in registry.ts.
const KERNEL_DIR = join(REPO_ROOT, 'src', 'parse', 'kernel');

test('the registry lists every kind module of the folder, once, and nothing else', () => {
  const files = readdirSync(KERNEL_DIR).filter((d) => existsSync(join(KERNEL_DIR, d, 'kind.ts'))).map((d) => `${d}/kind.ts`).sort();
  const index = readFileSync(join(KERNEL_DIR, 'registry.ts'), 'utf8');
  const imported = [...index.matchAll(/from '\.\/([\w-]+)\/kind\.js'/g)].map((m) => `${m[1]}/kind.ts`).sort();
  assert.deepEqual(imported, files);
  assert.equal(KERNEL_KINDS.length, files.length);
  const ids = KERNEL_KINDS.map((k) => k.id);
  assert.equal(new Set(ids).size, ids.length, 'kind ids are unique');
  const incidentKinds = KERNEL_KINDS.flatMap((k) => [...k.incidentKinds]);
  assert.equal(new Set(incidentKinds).size, incidentKinds.length, 'an incident kind belongs to one module');
});

test('a kind is its folder\'s kind.ts plus its test: every kind folder has test/parse/kernel/<kind>/kind.test.ts', () => {
  const kinds = readdirSync(KERNEL_DIR).filter((d) => existsSync(join(KERNEL_DIR, d, 'kind.ts')));
  const tests = join(REPO_ROOT, 'test', 'parse', 'kernel');
  assert.deepEqual(kinds.filter((d) => !existsSync(join(tests, d, 'kind.test.ts'))), []);
  // and each test exercises its own module (imports it from its folder)
  for (const d of kinds) assert.match(readFileSync(join(tests, d, 'kind.test.ts'), 'utf8'), new RegExp(`src/parse/kernel/${d}/kind\\.js'`), d);
});

test('the grouping and the reports know no kind by name: a new kind needs no edit there', () => {
  const names = KERNEL_KINDS.flatMap((k) => [k.id, ...k.incidentKinds]);
  // nor do the kinds' shared interface, the model and the --kind list: ids, the incident union and
  // the kinds' names come from the registry (a kind is its folder plus its registry line).
  for (const f of ['src/parse/kernel/markers.ts', 'src/report/incident-summary.ts', 'src/report/incident-details.ts',
    'src/parse/kernel/kind.ts', 'src/model/kernel-incidents.ts', 'src/model/kinds.ts', 'src/model/incident.ts', 'src/parse/incident-kinds.ts', 'scripts/schema.ts', 'src/parse/dedup.ts']) {
    const src = readFileSync(join(REPO_ROOT, f), 'utf8');
    for (const n of names) assert.ok(!src.includes(`'${n}'`), `${f} names '${n}'`);
  }
  // kernel-log.ts keeps only what joins two kinds (panic_on_oom, oom_reaper, a lone Mem-Info).
  const log = readFileSync(join(REPO_ROOT, 'src/parse/kernel/kernel-log.ts'), 'utf8');
  assert.ok(!/b\.kind === '/.test(log), 'no per-kind branch on the open report in kernel-log.ts');
});

const fixtureLines = (): string[] => readdirSync(FIXTURES)
  .filter((n) => n !== 'README.md' && statSync(join(FIXTURES, n)).isFile())
  .flatMap((n) => readFileSync(join(FIXTURES, n), 'latin1').split(/\r?\n/));

test('every fixture line a kind starts on holds one of that kind\'s markers (the fast reader\'s pre-filter)', () => {
  let starts = 0;
  for (const line of fixtureLines()) {
    const msg = parsePrefix(line).msg;
    for (const k of KERNEL_KINDS) {
      if (!k.start.test(msg)) continue;
      starts++;
      assert.ok(k.markers.some((m) => msg.includes(m)), `${k.id} starts on "${msg}" without one of its markers`);
    }
  }
  assert.ok(starts > 500, `${starts} start lines checked`);
});

test('every kernel kind the fixtures give has a module, and its summary and details read without holes', async () => {
  const seen = new Set<string>();
  for (const n of readdirSync(FIXTURES).filter((f) => /\.log$/.test(f))) {
    const a = await analyze([{ path: join(FIXTURES, n) }], { rules: [] });
    for (const inc of a.incidents) {
      const k = kindOfIncident(inc.kind);
      if (!k) continue;
      seen.add(inc.kind);
      const text = [k.summary(inc as never), ...k.details(inc as never)].join('\n');
      assert.ok(text.length > 0 && !/undefined|NaN|\[object /.test(text), `${n} ${inc.kind}: ${text}`);
    }
  }
  const all = KERNEL_KINDS.flatMap((k) => [...k.incidentKinds]);
  assert.deepEqual(all.filter((k) => !seen.has(k)), [], 'every kind has a real fixture');
});
