import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS } from '../../src/metrics/registry.js';
import { REPO_ROOT } from '../helpers.js';

/** The README's "Fleet" metrics table: | `name` | type | labels | what |. */
function readmeTable(): { name: string; type: string; labels: string[] }[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### Metrics');
  assert.ok(start >= 0, 'README has a "### Metrics" section');
  const section = readme.slice(start, readme.indexOf('\n### ', start + 1));
  return [...section.matchAll(/^\| `(memtriage_\w+)` \| (\w+) \|([^|]*)\|/gm)].map((m) => ({
    name: m[1], type: m[2], labels: m[3].split(',').map((l) => l.trim()).filter(Boolean),
  }));
}

test('README metrics table = the registry: same names, types and labels, both ways', () => {
  const rows = readmeTable();
  assert.deepEqual(rows.map((r) => r.name).sort(), METRICS.map((m) => m.name).sort());
  for (const m of METRICS) {
    const r = rows.find((x) => x.name === m.name)!;
    assert.equal(r.type, m.type, m.name);
    assert.deepEqual(r.labels, [...m.labels], m.name);
  }
});

test('metric names follow Prometheus conventions', () => {
  for (const m of METRICS) {
    assert.match(m.name, /^memtriage_[a-z0-9_]+$/);
    if (m.type === 'counter') assert.match(m.name, /_total$/, m.name);
    else assert.doesNotMatch(m.name, /_total$/, m.name);
    // Base units only: bytes, seconds, ratios; no kb/mb/ms/percent.
    assert.doesNotMatch(m.name, /_(kb|kib|mb|mib|ms|milliseconds|percent)(_|$)/, m.name);
    const labels: readonly string[] = m.labels;
    assert.ok(!labels.includes('le') && !labels.includes('quantile'));
  }
});
