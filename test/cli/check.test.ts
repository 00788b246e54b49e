import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/command.js';
import { FixtureReader } from '../../src/live/reader.js';
import { gatherWhere } from '../../src/live/where.js';
import { fixturePath } from '../helpers.js';

/** Through the dispatcher, as a monitor runs it: the exit code and what it printed. */
async function check(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = {
    stdout: { write: (s: string) => ((out += s), true), isTTY: false },
    stderr: { write: (s: string) => ((err += s), true), isTTY: false },
    stdin: process.stdin, env: {},
  } as unknown as CliIO;
  const code = await main(['check', ...args], io);
  if (code !== 2 || out) assert.equal(out.split('\n').length, 2, `exactly one line: ${JSON.stringify(out)}`);
  return { code, out, err };
}

// A captured tree: the 6.18 host's /proc plus its /proc/pressure/memory taken under a memory storm
// (some avg10=14.94, full avg10=13.65), both verbatim.
const dir = mkdtempSync(join(tmpdir(), 'mt-fleet-check-'));
const tree = join(dir, 'tree');
cpSync(fixturePath('proc-tree-host-6.18'), tree, { recursive: true });
mkdirSync(join(tree, 'proc/pressure'));
copyFileSync(fixturePath('host-6.18-pressure-memory-under-pressure.txt'), join(tree, 'proc/pressure/memory'));
const noPsi = join(dir, 'no-psi');
cpSync(fixturePath('proc-tree-host-6.18'), noPsi, { recursive: true });
const KMSG = fixturePath('host-6.18-memcg-v1-oom.kmsg.log'); // one real kill at 118.239876 s; starts at 0.334829 s
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('check MemoryThrashing: exit 1 at the threshold, 0 just above it, 2 without PSI', async () => {
  const at = await check(['--root', tree, '--condition', 'MemoryThrashing', '--pressure-some', '0.1494', '--pressure-full', '1']);
  assert.equal(at.code, 1);
  assert.match(at.out, /^PROBLEM: MemoryThrashing problem: memory pressure over 10 s: some 14\.9 %, full 13\.7 %/);
  assert.equal((await check(['--root', tree, '--condition', 'MemoryThrashing', '--pressure-some', '0.1495', '--pressure-full', '1'])).code, 0);
  assert.equal((await check(['--root', tree, '--condition', 'MemoryThrashing', '--pressure-some', '1', '--pressure-full', '0.1365'])).code, 1);
  assert.equal((await check(['--root', tree, '--condition', 'MemoryThrashing', '--pressure-some', '1', '--pressure-full', '0.1366'])).code, 0);
  const none = await check(['--root', noPsi, '--condition', 'MemoryThrashing']);
  assert.equal(none.code, 2);
  assert.match(none.out, /^UNKNOWN: .*\/proc\/pressure\/memory/);
});

test('check UnaccountedMemory: exit 1 at the threshold, 0 just above, 2 when a counter is missing', async () => {
  // The share `where` reports for this tree (the existing, separately tested breakdown).
  const b = await gatherWhere(new FixtureReader(tree));
  const share = b.parts.find((p) => p.name === 'unaccounted')!.kb / b.totalKb;
  assert.ok(share > 0);
  assert.equal((await check(['--root', tree, '--condition', 'UnaccountedMemory', '--unaccounted-ratio', String(share)])).code, 1);
  assert.equal((await check(['--root', tree, '--condition', 'UnaccountedMemory', '--unaccounted-ratio', String(share * 1.0001)])).code, 0);
  const cut = join(dir, 'no-percpu');
  cpSync(tree, cut, { recursive: true });
  const mi = join(cut, 'proc/meminfo');
  writeFileSync(mi, readFileSync(mi, 'utf8').replace(/^Percpu:.*\n/m, '')); // as a kernel without the counter would print it
  const r = await check(['--root', cut, '--condition', 'UnaccountedMemory', '--unaccounted-ratio', '0']);
  assert.equal(r.code, 2);
  assert.match(r.out, /lacks Percpu/);
});

test('check OOMKilling: 1 with a kill since --since, 0 after it, 2 when the log cannot be read or does not reach back', async () => {
  const kill = await check(['--condition', 'OOMKilling', '--kernel-log', KMSG, '--since', '118']);
  assert.equal(kill.code, 1);
  assert.match(kill.out, /1 OOM kill since 118 s after boot, last python3 in \/mt-fixture/);
  assert.equal((await check(['--condition', 'OOMKilling', '--kernel-log', KMSG, '--since', '118.24'])).code, 0);
  assert.equal((await check(['--condition', 'OOMKilling', '--kernel-log', KMSG, '--since', '119'])).code, 0);
  // Since boot: the capture starts 0.33 s after boot (not at record 0), so "no older kill" cannot be told…
  // …but the kill it holds is enough for a problem.
  assert.equal((await check(['--condition', 'OOMKilling', '--kernel-log', KMSG])).code, 1);
  // A hung-task capture without any kill, starting 2.174356 s after boot: it can answer from then on only.
  const noKill = fixturePath('qemu-5.10-hung-task.dmesg.log');
  const early = await check(['--condition', 'OOMKilling', '--kernel-log', noKill, '--since', '2.17']);
  assert.equal(early.code, 2);
  assert.match(early.out, /starts 2 s after boot/);
  assert.equal((await check(['--condition', 'OOMKilling', '--kernel-log', noKill, '--since', '2.18'])).code, 0);
  const missing = await check(['--condition', 'OOMKilling', '--kernel-log', join(dir, 'nope.log')]);
  assert.equal(missing.code, 2);
  assert.match(missing.out, /^UNKNOWN: .*nope\.log: ENOENT/);
});

test('check: every condition at once takes the worst; bad usage is exit 2 on stderr', async () => {
  const all = await check(['--root', tree, '--kernel-log', KMSG, '--since', '119', '--pressure-some', '0.9', '--pressure-full', '0.9']);
  assert.equal(all.code, 0, all.out);
  assert.match(all.out, /^OK: MemoryThrashing ok.*; UnaccountedMemory ok.*; OOMKilling ok/);
  const worst = await check(['--root', noPsi, '--kernel-log', KMSG, '--since', '118']);
  assert.equal(worst.code, 1);
  assert.match(worst.out, /^PROBLEM: OOMKilling problem.*MemoryThrashing unknown/);
  for (const bad of [['--condition', 'Nope'], ['--pressure-some', '1.5'], ['--pressure-full', 'x'], ['--last', '10'], ['--since', 'yesterday'], ['--since', '1', '--last', '1m'], ['--bogus']]) {
    const r = await check(bad);
    assert.equal(r.code, 2, bad.join(' '));
    assert.equal(r.out, '');
    assert.match(r.err, /^memtriage check: /);
  }
});

test('check --nagios: 0 OK, 2 CRITICAL for a problem, 3 UNKNOWN for could-not-look and for bad usage, one line each', async () => {
  const ok = await check(['--nagios', '--condition', 'OOMKilling', '--kernel-log', KMSG, '--since', '119']);
  assert.equal(ok.code, 0);
  assert.match(ok.out, /^OK: /);
  const crit = await check(['--nagios', '--condition', 'OOMKilling', '--kernel-log', KMSG, '--since', '118']);
  assert.equal(crit.code, 2);
  assert.match(crit.out, /^CRITICAL: OOMKilling problem: 1 OOM kill/);
  const unknown = await check(['--nagios', '--root', noPsi, '--condition', 'MemoryThrashing']);
  assert.equal(unknown.code, 3);
  assert.match(unknown.out, /^UNKNOWN: /);
  const usage = await check(['--nagios', '--condition', 'Nope']);
  assert.equal(usage.code, 3);
  assert.match(usage.out, /^UNKNOWN: memtriage check: --condition Nope: unknown/);
});

test('check --since WALL-CLOCK and --last D are placed on the kernel clock through /proc/uptime', async (t) => {
  // The capture's kill is at 118.24 s after (its) boot; put it on this machine's clock to check the
  // conversion on both sides of it, a few seconds apart (a wall clock has whole seconds).
  const up = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const bootMs = Date.now() - up * 1000;
  const local = (ms: number) => {
    const d = new Date(ms);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  };
  const at = (since: string[]) => check(['--condition', 'OOMKilling', '--kernel-log', KMSG, ...since]);
  if (up < 130) return t.skip('this machine booted less than 130 s ago: 125 s after boot is not in the past yet');
  assert.equal((await at(['--since', local(bootMs + 110_000)])).code, 1);
  assert.equal((await at(['--since', local(bootMs + 125_000)])).code, 0);
  assert.equal((await at(['--last', `${Math.floor(up - 110)}s`])).code, 1);
  assert.equal((await at(['--last', `${Math.floor(up - 125)}s`])).code, 0);
});
