import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { METRICS } from '../../src/metrics/registry.js';
import { REPO_ROOT } from '../helpers.js';

const run = promisify(execFile);
const PROMTOOL = '/usr/bin/promtool';
const DIR = join(REPO_ROOT, 'deploy', 'prometheus');

test('deploy/prometheus rules: promtool checks them and their unit tests (each alert on both sides) pass', async (t) => {
  if (!existsSync(PROMTOOL)) return t.skip(`${PROMTOOL} absent: apt-get install prometheus (Debian) to run this test`);
  const check = await run(PROMTOOL, ['check', 'rules', join(DIR, 'memtriage-rules.yml')]);
  assert.match(check.stdout, /SUCCESS: 4 rules found/);
  const unit = await run(PROMTOOL, ['test', 'rules', 'memtriage-rules.test.yml'], { cwd: DIR });
  assert.match(unit.stdout, /SUCCESS/);
});

test('deploy/prometheus rules use only metrics memtriage exports', () => {
  const names = new Set<string>(METRICS.map((m) => m.name));
  const used = [...readFileSync(join(DIR, 'memtriage-rules.yml'), 'utf8').matchAll(/\bmemtriage_\w+/g)].map((m) => m[0]);
  assert.ok(used.length >= 4);
  for (const n of used) assert.ok(names.has(n), `${n} is not in src/metrics/registry.ts`);
});
