import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers.js';

const BIN = join(REPO_ROOT, 'bin', 'memtriage.js');

test('collect then analyze BUNDLE: the bundle\'s meminfo and kernel log are read as inputs', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mt-bundle-'));
  try {
    const bundle = join(dir, 'box.tar.gz');
    const c = spawnSync(process.execPath, [BIN, 'collect', '-o', bundle], { encoding: 'utf8' });
    assert.equal(c.status, 0, c.stderr);
    const r = spawnSync(process.execPath, [BIN, 'analyze', bundle, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 << 20 });
    assert.equal(r.status, 0, r.stderr);
    const a = JSON.parse(r.stdout);
    const paths: string[] = a.inputs.map((i: { path: string }) => i.path);
    assert.ok(paths.includes(`${bundle}:proc/meminfo`), paths.join(', '));
    assert.ok(paths.some((p) => /:(kmsg|dmesg)\.log$/.test(p)), 'the kernel log is an input');
    const mi = a.incidents.find((i: { kind: string }) => i.kind === 'meminfo_snapshot');
    const memTotal = Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]);
    assert.equal(mi.memTotalKb, memTotal);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
