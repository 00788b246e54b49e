import assert from 'node:assert/strict';
import { test } from 'node:test';
import { camelKey, counterKey } from '../../src/parse/keys.js';

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
