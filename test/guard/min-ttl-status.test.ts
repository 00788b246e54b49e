import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readMinTtlMs, setMinTtlMs } from '../../src/guard/min-ttl.js';
import { readLockFile, statusPath } from '../../src/guard/lock/session.js';
import { guardCommand } from '../../src/cli/guard.js';
import { runCommand } from '../helpers.js';

// A regular file stands in for /sys/kernel/mm/lru_gen/min_ttl_ms (this host has no MGLRU).
test('--min-ttl-ms: absent without MGLRU, set while the guard runs, the old value restored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mt-minttl-'));
  try {
    const path = join(dir, 'min_ttl_ms');
    assert.equal(await readMinTtlMs(path), null);
    await assert.rejects(setMinTtlMs(1000, path), /no MGLRU/);
    writeFileSync(path, '0\n');
    const restore = await setMinTtlMs(1000, path);
    assert.equal(readFileSync(path, 'utf8'), '1000');
    await restore();
    assert.equal(readFileSync(path, 'utf8'), '0');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('guard --status: exit 3 and the reason when no guard with --lock-critical wrote a status there', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mt-status-'));
  try {
    const r = await runCommand(guardCommand, ['--status', '--bundle-dir', dir]);
    assert.equal(r.code, 3);
    assert.match(r.err, /no guard with --lock-critical/);
    writeFileSync(statusPath(dir), 'not json');
    assert.match(JSON.stringify(await readLockFile(dir)), /not a guard status file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
