import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBlank } from '../../src/read/blank.js';

test('isBlank answers as trim() === "" for every UTF-16 code unit, alone and around text', () => {
  let blanks = 0;
  for (let c = 0; c <= 0xffff; c++) {
    const ch = String.fromCharCode(c);
    const want = ch.trim() === '';
    if (want) blanks++;
    assert.equal(isBlank(ch), want, `U+${c.toString(16)}`);
    assert.equal(isBlank(`  ${ch}\t`), want, `U+${c.toString(16)} among spaces`);
    assert.equal(isBlank(`${ch}x`), false);
  }
  // 25 of them (ASCII \t..\r and space, the Zs separators, U+2028/9, U+FEFF): the test saw them all.
  assert.equal(blanks, 25);
  assert.equal(isBlank(''), true);
  assert.equal(isBlank('   0x1f'), false);
});
