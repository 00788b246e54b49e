import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsv, parseJsonl, parseSeries, toCsv, toJsonl } from '../../src/guard/series.js';
import { readFixture } from '../helpers.js';

describe('sample series files', () => {
  const real = parseJsonl(readFixture('guard-host-6.18-storm.jsonl'));

  it('reads the recorded storm without problems', () => {
    assert.equal(real.problems.length, 0);
    assert.ok(real.samples.length > 200);
    assert.equal(real.samples[0].cgroups[0].source, 'hybrid');
  });

  it('JSONL and CSV round-trip the counters (CSV drops only process snapshots)', () => {
    const back = parseJsonl(toJsonl(real.samples)).samples;
    assert.deepEqual(back, real.samples);
    const csv = parseCsv(toCsv(real.samples));
    assert.equal(csv.problems.length, 0);
    assert.equal(csv.samples.length, real.samples.length);
    const [a, b] = [real.samples[100].cgroups[0], csv.samples[100].cgroups[0]];
    for (const k of ['memSomeUs', 'memFullUs', 'pgmajfault', 'refaultFile', 'anonBytes', 'usageBytes', 'limitBytes', 'oomKills'] as const) assert.equal(b[k], a[k], k);
  });

  it('bad lines become problems with their line number; good ones are kept', () => {
    const lines = toJsonl(real.samples.slice(0, 3)).split('\n');
    lines.splice(1, 0, '{"not":"a sample"}', 'garbage {');
    const p = parseJsonl(lines.join('\n'));
    assert.equal(p.samples.length, 3);
    assert.deepEqual(p.problems.map((x) => x.line), [2, 3]);
    const csv = parseCsv('t_ms,cgroup,mem_some_us\n1,/a,5\nx,/a,6\n2,/a,abc\n3,/a,\n');
    assert.deepEqual(csv.problems.map((x) => x.line), [3, 4]);
    assert.equal(csv.samples.length, 2);
    assert.equal(csv.samples[1].cgroups[0].memSomeUs, null);
    assert.match(parseCsv('a,b\n1,2\n').problems[0].message, /t_ms/);
  });

  it('detects the format by content', () => {
    assert.equal(parseSeries('t_ms,cgroup\n1,/\n').samples.length, 1);
    assert.equal(parseSeries(toJsonl(real.samples.slice(0, 2))).samples.length, 2);
  });
});
