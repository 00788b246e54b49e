import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SECTION_PARSERS } from '../../src/parse/sections/index.js';
import type { SectionParser } from '../../src/parse/types.js';
import { REPO_ROOT } from '../helpers.js';

const folder = join(REPO_ROOT, 'src', 'parse', 'sections');
const isParser = (v: unknown): v is SectionParser =>
  typeof v === 'object' && v !== null && typeof (v as SectionParser).detect === 'function' && typeof (v as SectionParser).parse === 'function';

test('SECTION_PARSERS lists exactly the parsers exported by src/parse/sections/*.ts, each from the file named by its id', async () => {
  const found: string[] = [];
  for (const f of readdirSync(folder).filter((n) => n.endsWith('.ts') && n !== 'index.ts')) {
    // Tests run from dist/test/parse/; the compiled sources sit beside them in dist/src.
    const mod = (await import(new URL(`../../src/parse/sections/${f.replace(/\.ts$/, '.js')}`, import.meta.url).href)) as Record<string, unknown>;
    for (const p of Object.values(mod).filter(isParser)) {
      assert.equal(p.id, f.replace(/\.ts$/, ''), `${f} exports parser "${p.id}"`);
      assert.ok(SECTION_PARSERS.includes(p), `${p.id} is not in SECTION_PARSERS`);
      found.push(p.id);
    }
  }
  assert.deepEqual(SECTION_PARSERS.map((p) => p.id).sort(), found.sort());
});

test('ids are unique and every parser has a test file', () => {
  const ids = SECTION_PARSERS.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length);
  const tests = readdirSync(join(REPO_ROOT, 'test', 'parse', 'sections')).filter((f) => f.endsWith('.test.ts'));
  for (const id of ids) assert.ok(tests.includes(`${id}.test.ts`), `missing test/parse/sections/${id}.test.ts`);
});

test('every parser has a one-line description', () => {
  for (const p of SECTION_PARSERS) assert.ok(p.description.length > 0 && !p.description.includes('\n'), p.id);
});

test('more specific formats come first', () => {
  const at = (id: string) => SECTION_PARSERS.findIndex((p) => p.id === id);
  assert.ok(at('crash-count') < at('crash-ps'), '"ps | wc -l" before crash ps');
  assert.ok(at('crash-task') < at('crash-struct'));
  assert.ok(at('busybox-top') < at('ps') && at('procps-top') < at('ps') && at('crash-ps') < at('ps'));
  assert.ok(at('meminfo') < at('proc-vmstat'));
});
