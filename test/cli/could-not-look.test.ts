import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../src/index.js';
import { wallClockFromBoot } from '../../src/read/boot-time.js';
import { REPO_ROOT, fixturePath, isRoot, readFixture } from '../helpers.js';
import { makeFilter } from '../../src/cli/filters.js';

// Item 2 of issue 10: no false all-clear. "Could not look" exits 3 and says why, never
// "nothing found" with exit 0.
const BIN = join(REPO_ROOT, 'bin', 'memtriage.js');

function run(args: string[], input?: string, uidPrefix: string[] = []): { code: number | null; out: string; err: string } {
  const cmd = uidPrefix.length ? uidPrefix[0] : process.execPath;
  const argv = uidPrefix.length ? [...uidPrefix.slice(1), process.execPath, BIN, ...args] : [BIN, ...args];
  const r = spawnSync(cmd, argv, { input: input ?? '', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function nobodyCanRun(): string | false {
  if (!isRoot) return 'needs root to run the CLI as another user (setpriv)';
  if (spawnSync('setpriv', ['--version']).status !== 0) return 'setpriv (util-linux) is not installed';
  const restrict = readFileSync('/proc/sys/kernel/dmesg_restrict', 'utf8').trim();
  if (restrict !== '1') return 'kernel.dmesg_restrict is 0 here: an unprivileged user may read the kernel log';
  try {
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(BIN)})`]);
    if (r.status !== 0) return 'the repository is not readable by nobody (uid 65534)';
  } catch {
    return 'setpriv failed';
  }
  return false;
}

test('a non-root analyze of the live log exits 3 ("could not look") and says how to look', { skip: nobodyCanRun() }, () => {
  const r = run(['analyze'], undefined, ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']);
  assert.equal(r.code, 3, r.err + r.out);
  assert.equal(r.out, '', 'no report: it would read as an all-clear');
  assert.match(r.err, /could not read this machine's kernel log as uid 65534/);
  assert.match(r.err, /\/dev\/kmsg: EPERM/);
  assert.match(r.err, /not an all-clear/);
  assert.match(r.err, /run it as root/);
  assert.match(r.err, /dmesg_restrict=1/);
  assert.doesNotMatch(r.err, /No OOM kill/);
});

test('an empty stdin pipe exits 3 with a clear message; a non-empty one exits 0', () => {
  const r = run(['analyze', '-'], '');
  assert.equal(r.code, 3);
  assert.equal(r.out, '');
  assert.match(r.err, /standard input was empty: nothing was analyzed/);
  const blank = run(['analyze', '-'], '\n\n  \n');
  assert.equal(blank.code, 3, 'blank lines are nothing to look at either');
  const ok = run(['analyze', '-'], readFixture('host-6.18-memcg-v1-oom.dmesg.log'));
  assert.equal(ok.code, 0, ok.err);
});

test('an empty file exits 3 naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mt-empty-'));
  try {
    const f = join(dir, 'kern.log');
    writeFileSync(f, '');
    const r = run(['analyze', f]);
    assert.equal(r.code, 3);
    assert.ok(r.err.includes(`${f}: the file is empty`), r.err);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--kind is checked against the known kinds (a typo is bad usage, not an empty answer)', () => {
  const r = run(['analyze', fixturePath('host-6.18-memcg-v1-oom.dmesg.log'), '--kind', 'oom']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--kind oom: no such incident kind \(did you mean oom_kill\?\)/);
  assert.equal(run(['analyze', fixturePath('host-6.18-memcg-v1-oom.dmesg.log'), '--kind', 'oom_kill']).code, 0);
});

test('a time filter that cannot place the incidents exits 3; one that places them all says "none between"', () => {
  // dmesg without -T: seconds since boot only, so a wall-clock --since cannot place anything.
  const r = run(['analyze', fixturePath('host-6.18-memcg-v1-oom.dmesg.log'), '--since', '2022-06-12 03:00']);
  assert.equal(r.code, 3);
  assert.match(r.out, /1 incident in the input, none at or after 2022-06-12 03:00:00\. 1 of them has no timestamp of that kind/);
  assert.match(r.err, /none was kept/);
  // The same report with uptime bounds it can place: outside the window, a true "none", exit 0.
  const placed = run(['analyze', fixturePath('host-6.18-memcg-v1-oom.dmesg.log'), '--since', '100', '--until', '110']);
  assert.equal(placed.code, 0);
  assert.match(placed.out, /1 incident in the input, none between 100 s after boot and 110 s after boot\./);
  assert.doesNotMatch(placed.out, /No OOM kill/);
  // Inside the window (the OOM is at 118.24 s): kept.
  assert.match(run(['analyze', fixturePath('host-6.18-memcg-v1-oom.dmesg.log'), '--since', '118', '--until', '119']).out, /killed python3/);
});

test('live kernel records get a wall clock from the boot time, so --since DATE works on them', async () => {
  const text = readFixture('host-6.18-memcg-v1-oom.kmsg.log');
  const boot = new Date(2026, 0, 2, 3, 4, 5).getTime();
  const a = await analyze([{ name: '/dev/kmsg', text, bootTimeMs: boot }], { rules: [] });
  const oom = a.incidents.find((i) => i.kind === 'oom_kill')!;
  assert.ok(oom.uptimeSec != null);
  assert.equal(oom.time, wallClockFromBoot(boot, oom.uptimeSec));
  assert.equal(wallClockFromBoot(boot, 118.4), '2026-01-02T03:06:03');
  const since = (d: string) => analyze([{ name: '/dev/kmsg', text, bootTimeMs: boot }], { rules: [], filter: makeFilter({ since: d }) });
  assert.equal((await since('2026-01-02 03:06')).incidents.length, 1);
  assert.equal((await since('2026-01-02 03:07')).incidents.length, 0);
  // Without the boot time the same records have no wall clock (a file from another machine).
  const plain = await analyze([{ name: 'kmsg.log', text }], { rules: [] });
  assert.equal(plain.incidents.find((i) => i.kind === 'oom_kill')!.time, null);
});

