import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFixture } from '../helpers.js';

// "... kernel: " is a paste artefact, not a tool's output: no logging tool prints it (journalctl
// --no-full ellipsizes the middle of the message with "…", rsyslog/journald/dmesg always print
// their whole prefix). A person trimming syslog lines writes it. The fixture was made that way from
// the rsyslog fixture of the same boot, so it must differ from it only in the cut prefix: this
// checks that no kernel text was touched (test/fixtures/README.md, "s2-logs").
test('qemu-6.1-prefix-elided-start.log is qemu-6.1-prefix-rsyslog-traditional.log with each line\'s first 19 bytes replaced by "..."', () => {
  const elided = readFixture('qemu-6.1-prefix-elided-start.log').split('\n');
  const source = readFixture('qemu-6.1-prefix-rsyslog-traditional.log').split('\n');
  assert.equal(elided.length, source.length);
  assert.ok(elided.length > 170);
  elided.forEach((line, i) => {
    const src = source[i];
    if (src === '') { assert.equal(line, ''); return; }
    // The cut ends inside the host name ("Dec  1 10:30:02 mt9" | "vm kernel: …"): the tag and all after it are the source's.
    assert.ok(src.indexOf(' kernel: ') >= 19, `line ${i + 1}: the cut stays before the tag`);
    assert.equal(line, `...${src.slice(19)}`, `line ${i + 1}`);
  });
});
