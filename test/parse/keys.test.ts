import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { camelKey, counterKey } from '../../src/parse/keys.js';
import { REPO_ROOT } from '../helpers.js';

test('counterKey is camelKey with the unit, for each unit apart, asked again and again', () => {
  for (let i = 0; i < 3; i++) {
    assert.equal(counterKey('Active(anon)', 'Kb'), 'activeAnonKb');
    assert.equal(counterKey('Active(anon)', 'Pages'), 'activeAnonPages');
    assert.equal(counterKey('Active(anon)', ''), 'activeAnon');
    assert.equal(counterKey('slab_reclaimable', 'Bytes'), 'slabReclaimableBytes');
  }
  // Past the table's bound it starts again, with the same answers.
  for (let i = 0; i < 5000; i++) assert.equal(counterKey(`key_${i}`, 'Kb'), `${camelKey(`key_${i}`)}Kb`);
  assert.equal(counterKey('NFS_Unstable', 'Kb'), 'nfsUnstableKb');
});

// The bound itself, as memory: 32,768 distinct 1 KiB names (8 × the table's 4,096; plain filler
// and a number, as odd input could print) in a fresh node with --expose-gc. Bounded, the table
// keeps at most 4,096 of them with their converted names (≈ 8 MiB); never cleared, all (≈ 64 MiB).
test('counterKey: past the table\'s bound it starts again, so distinct names cannot grow it without limit (memory)', () => {
  const mod = JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'parse', 'keys.js')).href);
  const n = 8 * 4096;
  const script = `
    const { counterKey } = await import(${mod});
    const filler = 'a'.repeat(1000);
    counterKey('warm_up', 'Kb');
    globalThis.gc(); globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    let chars = 0;
    for (let i = 1; i < ${n}; i++) chars += counterKey(filler + '_' + i, 'Kb').length;
    /y/.exec('y');
    globalThis.gc(); globalThis.gc();
    console.log(JSON.stringify({ grew: process.memoryUsage().heapUsed - before, chars }));`;
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { grew: number; chars: number };
  assert.ok(out.chars > (n - 1) * 1000, `chars: ${out.chars}`); // every name was converted
  const all = n * 2000; // each name and its converted form
  assert.ok(out.grew < all / 3, `the heap grew ${(out.grew / 2 ** 20).toFixed(1)} MiB over ${n} distinct names (${(all / 2 ** 20).toFixed(0)} MiB with their keys): the table is not bounded`);
});
