import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { analyze } from '../../src/index.js';
import { renderJson } from '../../src/report/json.js';
import { renderText } from '../../src/report/text.js';
import { FIXTURES, readFixture } from '../helpers.js';

// A fixed-seed generator, so a failure can be replayed.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

async function mustNotThrow(name: string, text: string): Promise<void> {
  const a = await analyze([{ name, text }]);
  renderText(a);
  JSON.parse(renderJson(a));
}

test('random bytes never crash the pipeline or the reports', async () => {
  const r = rng(1);
  for (let i = 0; i < 40; i++) {
    const bytes = Buffer.alloc(2000 + Math.floor(r() * 20000));
    for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(r() * 256);
    await mustNotThrow(`random-${i}`, bytes.toString('latin1'));
  }
});

test('random cuts of every real fixture: no exception, and cut OOM reports are reported as problems', async () => {
  const r = rng(2);
  const files = readdirSync(FIXTURES).filter((f) => /\.(log|txt)$/.test(f));
  let cutReports = 0;
  for (const f of files) {
    const text = readFixture(f);
    for (let k = 0; k < 3; k++) {
      const a = Math.floor(r() * text.length);
      const b = a + Math.floor(r() * (text.length - a));
      const piece = text.slice(a, b);
      const res = await analyze([{ name: f, text: piece }]);
      renderText(res);
      for (const inc of res.incidents) if (inc.partial) cutReports++;
      // Every partial OOM report has a problem that names its line.
      for (const inc of res.incidents.filter((x) => x.kind === 'oom_kill' && x.partial)) {
        assert.ok(res.problems.some((p) => p.input === inc.input && p.line >= inc.line && p.line <= inc.endLine), `${f}: partial report at ${inc.line} without a problem`);
      }
    }
  }
  assert.ok(cutReports > 0, 'the cuts did produce partial reports');
});

test('an empty input and a 5 MB single line are fine', async () => {
  await mustNotThrow('empty', '');
  await mustNotThrow('long', 'x'.repeat(5 * 1024 * 1024));
});
