import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { OomKillIncident } from '../../src/model/kernel-incidents.js';
import { analyze } from '../../src/index.js';
import { readThisMachineLog } from '../../src/read/this-machine.js';
import { isRoot } from '../helpers.js';

const V1 = '/sys/fs/cgroup/memory';
const LIMIT_BYTES = 64 * 1024 * 1024;

function skipReason(): string | null {
  if (!isRoot) return 'needs root to create a memory cgroup and read /dev/kmsg';
  if (!existsSync(join(V1, 'memory.limit_in_bytes'))) return `no cgroup v1 memory controller at ${V1}`;
  return null;
}

test('a real memory-cgroup OOM on this machine is found with its victim pid and limit', { skip: skipReason() ?? false, timeout: 60_000 }, async () => {
  const name = `mt-e2e-${process.pid}`;
  const dir = join(V1, name);
  mkdirSync(dir);
  let childPid = 0;
  try {
    writeFileSync(join(dir, 'memory.limit_in_bytes'), String(LIMIT_BYTES));
    // The shell moves itself into the cgroup, then becomes the hog (exec keeps the pid).
    const hog = `const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1));`;
    const child = spawn('sh', ['-c', `echo $$ > ${dir}/cgroup.procs && exec "${process.execPath}" -e '${hog}'`], { stdio: 'ignore' });
    childPid = child.pid!;
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    assert.equal(signal, 'SIGKILL', 'the OOM killer kills with SIGKILL');
    const log = await readThisMachineLog();
    const a = await analyze([{ name: log.source, text: log.text }]);
    const mine = a.incidents.filter((i): i is OomKillIncident => i.kind === 'oom_kill' && i.memcg === `/${name}`);
    assert.equal(mine.length, 1, `one OOM kill in /${name}`);
    const o = mine[0];
    assert.equal(o.victim.pid, childPid);
    assert.equal(o.constraint, 'CONSTRAINT_MEMCG');
    assert.equal(o.memcgInfo?.counters.find((c) => c.name === 'memory')?.limitKb, LIMIT_BYTES / 1024);
    assert.equal(o.partial, false);
    const f = a.findings.find((x) => x.rule === 'memcg-limit' && x.incidents.includes(a.incidents.indexOf(o)));
    assert.ok(f, 'the memcg-limit rule explains this OOM');
    assert.match(f.explanation, /limit of 65536 kB/);
  } finally {
    if (childPid) try { process.kill(childPid, 'SIGKILL'); } catch { /* already gone */ }
    for (let i = 0; i < 50 && existsSync(dir); i++) {
      try { rmdirSync(dir); } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
  }
});
