import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { analyze } from '../../src/index.js';
import { readFixture } from '../helpers.js';

test('a truncated .gz: what was decodable is analyzed, the truncation is a problem, nothing crashes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mt-gz-'));
  try {
    const text = readFixture('qemu-6.1-global-oom.dmesg.log') + readFixture('host-6.18-hung-task-fuse.dmesg.log');
    const gz = gzipSync(Buffer.from(text));
    writeFileSync(join(dir, 'whole.gz'), gz);
    writeFileSync(join(dir, 'cut.gz'), gz.subarray(0, Math.floor(gz.length * 2 / 3)));
    const whole = await analyze([{ path: join(dir, 'whole.gz') }], { rules: [] });
    assert.ok(!whole.problems.some((p) => /gzip/.test(p.message)), 'an intact file raises no gzip problem');
    const cut = await analyze([{ path: join(dir, 'cut.gz') }], { rules: [] });
    const first = cut.incidents.find((i) => i.kind === 'oom_kill');
    assert.ok(first?.kind === 'oom_kill' && first.victim.pid === 95, 'the report before the cut is read');
    assert.ok(cut.incidents.length < whole.incidents.length, 'the rest is missing');
    assert.ok(cut.problems.some((p) => p.severity === 'warning' && /cut\.gz: the gzip data may end early/.test(p.message)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
