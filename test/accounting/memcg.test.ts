import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountMemcg } from '../../src/accounting/index.js';
import type { OomKillIncident } from '../../src/model/kernel-incidents.js';
import { analyzeFixtures } from '../helpers.js';

const statsOf = async (name: string) => {
  const a = await analyzeFixtures([name]);
  const k = a.incidents.find((i): i is OomKillIncident => i.kind === 'oom_kill')!;
  return k.memcgInfo!;
};

test('v2 stats (6.1): anon, file − shmem, shmem, kernel, in kB from the bytes printed', async () => {
  const m = await statsOf('qemu-6.1-memcg-v2-file-oom.log');
  const a = accountMemcg(m.stats, 65536);
  const kb = (id: string) => a.holders.find((h) => h.id === id)?.kb;
  assert.deepEqual([kb('anon'), kb('page-cache'), kb('kernel')], [Math.round(66912256 / 1024), 0, 196608 / 1024]);
  assert.deepEqual([a.source, a.totalKb, a.unaccountedKb, a.missing], ['memcg', 65536, null, []]);
});

test('v1 stats (6.18 host): rss and cache; kernel memory only from the report\'s kmem line, else said to be missing', async () => {
  const m = await statsOf('host-6.18-memcg-v1-oom.dmesg.log');
  const withKmem = accountMemcg(m.stats, 65536, 220);
  assert.equal(withKmem.holders.find((h) => h.id === 'kernel')?.kb, 220);
  const without = accountMemcg(m.stats, 65536, null);
  assert.equal(without.holders.find((h) => h.id === 'kernel'), undefined);
  assert.match(without.estimates.join(' '), /no kernel memory/);
});
