import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { isRoot, REPO_ROOT } from '../helpers.js';
import { oomLabUnavailable, realOomKill } from '../metrics/helpers/oom-lab.js';
import { readFileSync } from 'node:fs';
import { readKmsg } from '../../src/live/kmsg.js';

const run = promisify(execFile);
const BIN = join(REPO_ROOT, 'bin', 'memtriage.js');

async function cli(args: string[], asNobody = false): Promise<{ code: number; out: string }> {
  const cmd = asNobody ? 'setpriv' : process.execPath;
  const argv = asNobody ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args] : [BIN, ...args];
  try {
    const { stdout } = await run(cmd, argv, { timeout: 120_000 });
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, out: err.stdout ?? '' };
  }
}

test('check OOMKilling on this machine: a real kill in the last minute is exit 1, naming its cgroup and program', { timeout: 180_000 }, async (t) => {
  const why = oomLabUnavailable();
  if (why) return t.skip(why);
  const kill = await realOomKill('check');
  const r = await cli(['check', '--condition', 'OOMKilling', '--last', '1m']);
  assert.equal(r.code, 1, r.out);
  const named = /last (\S+) in (\S+)\n$/.exec(r.out);
  assert.ok(named, r.out);
  if (named[2] !== kill.cgroup) {
    // Other work on this shared machine may have had a process OOM-killed after ours: then the
    // line names that later kill, which the kernel log must show after ours.
    const log = readKmsg();
    const ours = log.lastIndexOf(`task_memcg=${kill.cgroup},`);
    assert.ok(ours >= 0, 'our kill is in /dev/kmsg');
    assert.ok(log.indexOf(`oom_memcg=${named[2]},`, ours) > ours, `${r.out} names neither our kill nor a later one`);
  } else {
    assert.equal(named[1], kill.comm);
  }
});

test('check OOMKilling as a user who may not read the kernel log is exit 2 (unknown), never ok', { timeout: 120_000 }, async (t) => {
  if (!isRoot) return t.skip('needs root to run the check as nobody');
  if (readFileSync('/proc/sys/kernel/dmesg_restrict', 'utf8').trim() !== '1') return t.skip('kernel.dmesg_restrict is 0 here: everyone may read the kernel log');
  const r = await cli(['check', '--condition', 'OOMKilling'], true);
  assert.equal(r.code, 2, r.out);
  assert.match(r.out, /^UNKNOWN: OOMKilling unknown: cannot read the kernel log: \/dev\/kmsg: EPERM/);
});
