/**
 * The protected daemons' binaries, found by name among real processes and read with cachestat(2)
 * (6.5+; this machine runs 6.18). A copy of `sleep` under a made-up name plays the daemon.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AsyncPidReader } from '../../src/guard/pid-reader.js';
import { ProtectedBinaries } from '../../src/guard/protected-binaries.js';
import { realSyscalls } from '../../src/guard/syscalls.js';

const skip = process.platform === 'linux' && ['x64', 'arm64'].includes(process.arch) ? false : 'cachestat is wired for Linux x86_64/arm64 only';

describe('protected binaries', { skip }, () => {
  it('finds a running protected program by name, keeps its binary open, and reads its evicted pages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-guard-pb-'));
    const bin = join(dir, 'mtg-protected');
    copyFileSync('/bin/sleep', bin);
    const child = spawn(bin, ['30']);
    const pb = new ProtectedBinaries(realSyscalls(), new AsyncPidReader(2000, 8), ['mtg-protected']);
    try {
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(pb.evictedPages(), null, 'nothing open before the first refresh');
      await pb.refresh();
      assert.deepEqual(pb.paths(), [bin]);
      const n = pb.evictedPages();
      assert.equal(typeof n, 'number', 'cachestat answered');
      assert.ok(n! >= 0);
      // Gone from the names: its file is closed at the next refresh.
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      await pb.refresh();
      assert.deepEqual(pb.paths(), []);
    } finally {
      pb.close();
      if (child.exitCode == null && child.signalCode == null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
