import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from '../../src/report/index.js';
import { terminalSafe } from '../../src/report/terminal-safe.js';
import { RULES } from '../../src/rules/index.js';
import { analyzeFixtures } from '../helpers.js';

// Item 3 of issue 10. The fixture is a real memcg OOM on this host whose victim named itself
// "\e]0;pwned\a\e[2J" (an OSC window title, then clear screen), read raw with busybox dmesg (klogctl).
const FIXTURE = 'host-6.18-memcg-v1-oom-escape-comm.busybox-dmesg.log';
// Any C0 control except tab and newline, DEL, or a C1 control.
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

test('terminalSafe escapes ESC, BEL, CR, C1 and bidi overrides; keeps tab, newline and text', () => {
  assert.equal(terminalSafe('\x1b]0;pwned\x07\x1b[2J'), '\\x1b]0;pwned\\x07\\x1b[2J');
  assert.equal(terminalSafe('a\rb'), 'a\\rb');
  assert.equal(terminalSafe('\x9b31m'), '\\x9b31m');
  assert.equal(terminalSafe('abc\u202edcba'), 'abc\\u202edcba');
  assert.equal(terminalSafe('tab\there\nnew line, ünïcode 内存'), 'tab\there\nnew line, ünïcode 内存');
});

test('the fixture really holds the raw bytes (else the next test proves nothing)', async () => {
  const a = await analyzeFixtures([FIXTURE], RULES);
  const oom = a.incidents.find((i) => i.kind === 'oom_kill') as { victim: { comm: string } } | undefined;
  assert.equal(oom?.victim.comm, '\x1b]0;pwned\x07\x1b[2J');
});

test('text and Markdown reports show the control bytes escaped; JSON keeps the exact name', async () => {
  const a = await analyzeFixtures([FIXTURE], RULES);
  for (const format of ['text', 'md'] as const) {
    const out = render(a, format);
    assert.doesNotMatch(out, RAW, `${format} holds a raw control byte`);
    assert.ok(out.includes('\\x1b]0;pwned\\x07\\x1b[2J'), `${format} shows the name escaped`);
  }
  // Colour adds SGR sequences of our own, and only those.
  const color = render(a, 'text', { color: true });
  assert.doesNotMatch(color.replace(/\x1b\[\d+m/g, ''), RAW);
  assert.equal(JSON.parse(render(a, 'json')).incidents[0].victim.comm, '\x1b]0;pwned\x07\x1b[2J');
});

test('cache and where text show a file or process name with control bytes escaped', async () => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { cacheCommand } = await import('../../src/cli/cache.js');
  const { runCommand } = await import('../helpers.js');
  const dir = mkdtempSync(join(tmpdir(), 'mt-esc-'));
  try {
    // A real file whose name carries an OSC title sequence and a clear-screen.
    const evil = join(dir, '\x1b]0;pwned\x07\x1b[2J.log');
    writeFileSync(evil, 'x\n');
    const r = await runCommand(cacheCommand, [dir]);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, RAW);
    assert.ok(r.out.includes('\\x1b]0;pwned\\x07\\x1b[2J.log'), r.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
