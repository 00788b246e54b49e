/**
 * Real kills through pidfd of processes this test starts (no root needed for one's own children).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { killViaPidfd, pidfdExited, type KillDeps } from '../../src/guard/act/kill.js';
import { realClock } from '../../src/guard/clock.js';
import { parseStat } from '../../src/guard/procs.js';
import { realSyscalls } from '../../src/guard/syscalls.js';

const supported = process.platform === 'linux' && ['x64', 'arm64'].includes(process.arch);
const skip = supported ? false : 'pidfd syscalls are wired for Linux x86_64/arm64 only';

function deps(): KillDeps {
  return {
    sys: realSyscalls(), exited: pidfdExited, nowMs: realClock.nowMs, sleep: realClock.sleep,
    startTicks: async (pid) => {
      try { return parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1'))?.startTicks ?? null; } catch { return null; }
    },
  };
}
const startOf = (pid: number) => parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1'))!.startTicks;
const exitOf = (child: ReturnType<typeof spawn>) => new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_c, sig) => r(sig)));

describe('kill through a pidfd', { skip }, () => {
  it('SIGTERM ends a process that does not ignore it, within the grace', async () => {
    const child = spawn('sleep', ['60']);
    const exited = exitOf(child);
    await new Promise((r) => setTimeout(r, 50));
    const res = await killViaPidfd(deps(), child.pid!, 'sleep', startOf(child.pid!), 2000);
    assert.equal(await exited, 'SIGTERM');
    assert.equal(res.signal, 'SIGTERM');
    assert.equal(res.exited, true);
    assert.equal(res.mrelease, null);
    assert.ok(res.msToExit! < 2000);
  });

  it('a process ignoring SIGTERM gets SIGKILL after the grace, then process_mrelease', async () => {
    const child = spawn('sh', ['-c', 'trap "" TERM; while :; do sleep 0.05; done']);
    const exited = exitOf(child);
    await new Promise((r) => setTimeout(r, 100));
    const res = await killViaPidfd(deps(), child.pid!, 'sh', startOf(child.pid!), 300);
    assert.equal(await exited, 'SIGKILL');
    assert.equal(res.signal, 'SIGKILL');
    assert.ok(res.msToExit! >= 300);
    // 0 (memory freed at once) or -EINVAL/-ESRCH when it had finished exiting already: the call was made.
    assert.ok(res.mrelease === 0 || res.mrelease === -22 || res.mrelease === -3, `mrelease ${res.mrelease}`);
  });

  it('refuses a pid whose start time changed (pid reuse) and signals nothing', async () => {
    const child = spawn('sleep', ['60']);
    await new Promise((r) => setTimeout(r, 50));
    const res = await killViaPidfd(deps(), child.pid!, 'sleep', startOf(child.pid!)! - 1, 300);
    assert.match(res.error!, /another process/);
    assert.equal(res.signal, null);
    assert.equal(child.exitCode, null);
    child.kill('SIGKILL');
  });

  it('a pid that no longer exists is reported, not thrown', async () => {
    const child = spawn('true');
    await exitOf(child);
    const res = await killViaPidfd(deps(), child.pid!, 'true', null, 100);
    assert.equal(res.exited, true);
    assert.match(res.error!, /already gone/);
  });
});
