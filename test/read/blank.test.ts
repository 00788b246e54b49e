import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstNonSpace, isBlank } from '../../src/read/blank.js';

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

test('firstNonSpace: a message a /^\\s*X/ pattern may match starts with X, or firstNonSpace says to ask the pattern', () => {
  for (let c = 0; c <= 0xffff; c++) {
    const ch = String.fromCharCode(c);
    for (const s of [`${ch}oom_reaper`, ` \t${ch}CPU: 0`, ch]) {
      const got = firstNonSpace(s);
      if (/^\s*o/.test(s)) assert.ok(got === 111 || got === -1, `U+${c.toString(16)}: ${got}`);
      if (/^\s*C/.test(s)) assert.ok(got === 67 || got === -1, `U+${c.toString(16)}: ${got}`);
      // what it says otherwise: the first character that is not ASCII white space
      if (got > 0) assert.equal(s.trimStart()[0].charCodeAt(0), got);
    }
  }
  assert.equal(firstNonSpace(' \t '), 0);
  assert.equal(firstNonSpace('\u00a0oom_reaper'), -1);
  assert.equal(firstNonSpace('  oom_reaper'), 111);
});
