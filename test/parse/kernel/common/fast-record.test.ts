import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { analyze } from '../../../../src/index.js';
import { compactRecords, fastRecord } from '../../../../src/parse/kernel/common/fast-record.js';
import { FIXTURES, REPO_ROOT } from '../../../helpers.js';

/** A record the way the parsers fill one: key by key with computed names (a V8 hash table past ≈ 16 keys). */
function keyed(entries: [string, number][]): Record<string, number> {
  const r: Record<string, number> = {};
  for (const [k, v] of entries) r[k] = v;
  return r;
}

test('fastRecord keeps keys, their order and values; keeps a record with a non-finite value as it is', () => {
  const e: [string, number][] = Array.from({ length: 40 }, (_, i) => [`k${String.fromCharCode(97 + (i % 26))}${i}Bytes`, i * 1_000_003]);
  e.push(['hugeBytes', 2 ** 60], ['fraction', 0.5], ['zero', 0]);
  const r = keyed(e);
  const f = fastRecord(r);
  assert.notEqual(f, r, 'a new object');
  assert.deepEqual(Object.entries(f), e);
  assert.equal(JSON.stringify(f), JSON.stringify(r));
  const inf = keyed([...e, ['tooLong', Number('9'.repeat(400))]]);
  assert.equal(fastRecord(inf), inf, 'Infinity would be written as null');
  // Below 8 keys the record is returned as it is (V8 keeps such objects fast).
  const small = keyed(e.slice(0, 7));
  assert.equal(fastRecord(small), small);
  assert.notEqual(fastRecord(keyed(e.slice(0, 8))), keyed(e.slice(0, 8)));
  // Copies are made from one template per key list: the same keys in another order, one key
  // more or less, or names that join alike each keep their own.
  const shuffled = [...e.slice(20), ...e.slice(0, 20)];
  for (const list of [e, shuffled, e.slice(1), [...e, ['extra', 7]] as [string, number][], [['a\nb', 1], ...e.slice(0, 9)] as [string, number][], [['a', 2], ['b', 3], ...e.slice(0, 9)] as [string, number][]]) {
    assert.deepEqual(Object.entries(fastRecord(keyed(list))), list);
  }
});

test('every fixture: compacted incidents serialize to the same JSON as the records the parsers built', async () => {
  let records = 0;
  for (const name of readdirSync(FIXTURES).filter((n) => n !== 'README.md' && statSync(join(FIXTURES, n)).isFile())) {
    const a = await analyze([{ path: join(FIXTURES, name) }], { rules: [] });
    for (const inc of a.incidents) {
      // Rebuild each record key by key (as the parsers do), compact again, compare the JSON.
      const json = JSON.stringify(inc);
      const again = JSON.parse(json, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? keyed(Object.entries(v) as [string, number][]) : v));
      compactRecords(again);
      assert.equal(JSON.stringify(again), json, `${name} line ${inc.line}`);
      if (inc.kind === 'oom_kill' && inc.memcgInfo) records++;
    }
  }
  assert.ok(records > 50, `memcg reports seen: ${records}`);
});

// V8's own answer (%HasFastProperties, only with --allow-natives-syntax, so in a child node): the
// memory.stat of a real 6.18 memcg OOM report (≈ 40 counters) is a fast object after parsing,
// and a record of as many new keys built key by key is not, which is what the compaction is for.
test('a parsed memcg report\'s stats and a global OOM\'s Mem-Info and zone counters have fast properties', () => {
  const url = (p: string) => pathToFileURL(join(REPO_ROOT, 'dist', p)).href;
  const script = `
    const { analyze } = await import(${JSON.stringify(url('src/index.js'))});
    const fx = ${JSON.stringify(FIXTURES)};
    const m = (await analyze([{ path: fx + '/host-6.18-memcg-v1-oom.dmesg.log' }], { rules: [] })).incidents.find((i) => i.kind === 'oom_kill');
    const g = (await analyze([{ path: fx + '/qemu-5.10-global-oom.dmesg.log' }], { rules: [] })).incidents.find((i) => i.kind === 'oom_kill');
    const dict = {}; for (const k of Object.keys(m.memcgInfo.stats)) dict['control' + k] = m.memcgInfo.stats[k];
    console.log(JSON.stringify({ keys: Object.keys(m.memcgInfo.stats).length, stats: %HasFastProperties(m.memcgInfo.stats),
      memInfoKeys: Object.keys(g.memInfo).length, memInfo: %HasFastProperties(g.memInfo),
      zones: g.zones.length > 0 && g.zones.every((z) => Object.keys(z.counters).length < 8 || %HasFastProperties(z.counters)),
      keyedDict: %HasFastProperties(dict) }));`;
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  assert.ok(o.keys >= 30 && o.memInfoKeys >= 16, r.stdout);
  assert.deepEqual(o, { ...o, stats: true, memInfo: true, zones: true, keyedDict: false });
});
