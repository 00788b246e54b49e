import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { test } from 'node:test';
import { RealReader } from '../../src/live/real-reader.js';
import { gatherWhere } from '../../src/live/where.js';
import { isRoot } from '../helpers.js';

const V1 = '/sys/fs/cgroup/memory';
const N_MIB = 200;

// Waits for the child to print `word` on stdout (a listener, not for-await: leaving a for-await
// loop destroys the stream, and the child is read again later).
function waitFor(child: ChildProcess, word: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (c: Buffer) => {
      buf += c.toString();
      if (!buf.includes(word)) return;
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      resolve();
    };
    const onExit = () => reject(new Error(`child exited before printing ${word}`));
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

async function anonOf(pid: number, cgroup: string) {
  const reader = new RealReader();
  try {
    const b = await gatherWhere(reader, { residency: null, topN: 100_000 });
    const anon = b.parts.find((p) => p.name === 'anon')!;
    return {
      pidKb: anon.children!.find((c) => c.pid === pid)?.kb ?? 0,
      source: anon.children!.find((c) => c.pid === pid)?.source,
      cgroupKb: anon.cgroups!.find((c) => c.path === cgroup && c.version === 1)?.kb ?? 0,
    };
  } finally {
    await reader.close();
  }
}

test('where puts a process holding 200 MiB under its pid and its v1 memory cgroup', async (t) => {
  if (!isRoot) return t.skip('needs root: creates a memory cgroup');
  if (!existsSync(`${V1}/cgroup.procs`)) return t.skip(`needs the cgroup v1 memory hierarchy at ${V1}`);
  const name = `mt-test-${process.pid}`;
  const dir = `${V1}/${name}`;
  mkdirSync(dir);
  // The child joins the cgroup before it allocates: v1 does not move charges with a task.
  const child = spawn(process.execPath, ['-e', `
    process.stdout.write('started\\n');
    process.stdin.once('data', () => {
      const b = Buffer.allocUnsafeSlow(${N_MIB} * 1024 * 1024);
      for (let i = 0; i < b.length; i += 4096) b[i] = 1;   // touch every page
      globalThis.keep = b;
      process.stdout.write('ready\\n');
    });
    setInterval(() => {}, 1 << 30);
  `], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    await waitFor(child, 'started');
    writeFileSync(`${dir}/cgroup.procs`, String(child.pid));
    const before = await anonOf(child.pid!, `/${name}`);
    child.stdin!.write('go\n');
    await waitFor(child, 'ready');
    const afterAlloc = await anonOf(child.pid!, `/${name}`);
    const n = N_MIB * 1024;
    const pidDelta = afterAlloc.pidKb - before.pidKb;
    const cgDelta = afterAlloc.cgroupKb - before.cgroupKb;
    assert.equal(afterAlloc.source, 'smaps_rollup');
    assert.ok(Math.abs(pidDelta - n) < n * 0.05, `pid grew by ${pidDelta} kB, expected ≈${n}`);
    assert.ok(Math.abs(cgDelta - n) < n * 0.05, `cgroup grew by ${cgDelta} kB, expected ≈${n}`);
    assert.ok(afterAlloc.pidKb >= n && afterAlloc.cgroupKb >= n);
  } finally {
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    // The cgroup can be removed once its last task is gone; the exit is reaped just above.
    for (let i = 0; i < 50 && existsSync(dir); i++) {
      try {
        rmdirSync(dir);
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.ok(!existsSync(dir), `cleanup: ${dir} still exists`);
  }
});
