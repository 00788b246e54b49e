import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixtureReader } from '../../src/live/reader.js';
import { gatherWhere } from '../../src/live/where.js';
import { readHolders } from '../../src/metrics/holders.js';
import { fixturePath } from '../helpers.js';

const TREE = fixturePath('proc-tree-host-6.18');

/** meminfo read by the test itself, not by the code under test. */
function meminfoKb(root: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of readFileSync(join(root, 'proc/meminfo'), 'utf8').matchAll(/^([\w()]+):\s+(\d+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}

test('holders: bytes from the captured 6.18 tree, unaccounted as `where` computes it', async () => {
  const kb = meminfoKb(TREE);
  const h = await readHolders(new FixtureReader(TREE));
  assert.ok(h);
  assert.equal(h.totalBytes, kb.MemTotal * 1024);
  assert.equal(h.bytes.anon, kb.AnonPages * 1024);
  assert.equal(h.bytes.shmem, kb.Shmem * 1024);
  assert.equal(h.bytes.cache, (kb.Cached - kb.Shmem + kb.Buffers) * 1024);
  assert.equal(h.bytes.slab, (kb.SReclaimable + kb.SUnreclaim) * 1024);
  assert.equal(h.bytes.hugetlb, kb.Hugetlb * 1024);
  const where = await gatherWhere(new FixtureReader(TREE));
  assert.equal(h.bytes.unaccounted, where.parts.find((p) => p.name === 'unaccounted')!.kb * 1024);
  assert.deepEqual(h.missing, []);
});

test('holders: a missing counter makes unaccounted unknown (null), never a bigger number', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mt-fleet-holders-'));
  try {
    cpSync(TREE, root, { recursive: true });
    const p = join(root, 'proc/meminfo');
    writeFileSync(p, readFileSync(p, 'utf8').replace(/^Percpu:.*\n/m, ''));
    const h = await readHolders(new FixtureReader(root));
    assert.ok(h);
    assert.equal(h.bytes.unaccounted, null);
    assert.deepEqual(h.missing, ['Percpu']);
    assert.equal(h.bytes.anon, meminfoKb(root).AnonPages * 1024, 'the holders that do not need Percpu stay');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('holders: no /proc/meminfo → null (the exporter says accounting_up 0)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mt-fleet-holders-'));
  try {
    assert.equal(await readHolders(new FixtureReader(root)), null);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
