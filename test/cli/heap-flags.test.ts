import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIG_INPUT_BYTES, HEAP_FLAGS, wantsHeapFlags } from '../../src/cli/heap-flags.js';
import { REPO_ROOT, readFixture } from '../helpers.js';

// bin/memtriage.js starts node again with a small young generation for an analyze of 64 MiB or
// more (src/cli/heap-flags.ts). The decision, on both sides of the size; then the same report
// and exit code through the second node as in one.

const sizes = (m: Record<string, number>) => (p: string) => m[p] ?? null;

test('BIG_INPUT_BYTES: one byte short → no, at it → yes; several inputs add up', () => {
  assert.equal(wantsHeapFlags(['analyze', 'a'], [], sizes({ a: BIG_INPUT_BYTES - 1 })), false);
  assert.equal(wantsHeapFlags(['analyze', 'a'], [], sizes({ a: BIG_INPUT_BYTES })), true);
  assert.equal(wantsHeapFlags(['analyze', 'a', 'b'], [], sizes({ a: BIG_INPUT_BYTES / 2, b: BIG_INPUT_BYTES / 2 })), true);
  assert.equal(wantsHeapFlags(['analyze', 'a', 'b'], [], sizes({ a: BIG_INPUT_BYTES / 2, b: BIG_INPUT_BYTES / 2 - 1 })), false);
});

test('only analyze (named, or a path in its place); options, stdin, missing files and -o count nothing', () => {
  const big = sizes({ 'big.log': BIG_INPUT_BYTES, 'out.json': BIG_INPUT_BYTES });
  assert.equal(wantsHeapFlags(['big.log'], [], big), true, 'implicit analyze');
  assert.equal(wantsHeapFlags(['analyze', '-f', 'json', 'big.log'], [], big), true);
  for (const args of [['guard', 'big.log'], ['where', 'big.log'], ['collect', '-o', 'big.log'], ['analyze', '-'], ['analyze', 'missing.log'], ['analyze', '-', '-o', 'out.json'], ['analyze', '-', '--output', 'out.json'], []]) {
    assert.equal(wantsHeapFlags(args, [], big), false, args.join(' '));
  }
});

test("node started with the user's own young-generation size, or a debugger, is left alone", () => {
  const big = sizes({ 'big.log': BIG_INPUT_BYTES });
  assert.equal(wantsHeapFlags(['analyze', 'big.log'], ['--max-semi-space-size=16'], big), false);
  assert.equal(wantsHeapFlags(['analyze', 'big.log'], ['--max_semi_space_size=16'], big), false);
  assert.equal(wantsHeapFlags(['analyze', 'big.log'], ['--inspect-brk'], big), false, 'a debugger stays with this node');
  assert.equal(wantsHeapFlags(['analyze', 'big.log'], ['--stack-size=2000'], big), true);
});

test('a 64 MiB log through the second node: the same JSON and exit code as analyzed in one node', () => {
  // Real lines only: the boot lines that open the host's memcg OOM fixture, repeated to 64 MiB,
  // then that fixture's OOM report (a critical finding, so --fail-on critical exits 1).
  const oom = readFixture('host-6.18-memcg-v1-oom.dmesg.log');
  const filler = Buffer.from(oom.split('\n').slice(0, 4).join('\n').concat('\n').repeat(4096));
  const dir = mkdtempSync(join(tmpdir(), 'memtriage-heap-'));
  try {
    const log = join(dir, 'big.log');
    const fd = openSync(log, 'w');
    for (let n = 0; n < BIG_INPUT_BYTES; n += filler.length) writeSync(fd, filler);
    writeSync(fd, oom);
    closeSync(fd);
    const run = (nodeArgs: string[], out: string) => spawnSync(process.execPath, [...nodeArgs, join(REPO_ROOT, 'bin', 'memtriage.js'), 'analyze', log, '-f', 'json', '--fail-on', 'critical', '-o', join(dir, out)], { encoding: 'utf8' });
    const second = run([], 'second.json');
    const one = run(['--max-semi-space-size=16'], 'one.json');
    assert.equal(second.status, 1, second.stderr);
    assert.equal(one.status, 1, one.stderr);
    const json = readFileSync(join(dir, 'second.json'), 'utf8');
    assert.equal(json, readFileSync(join(dir, 'one.json'), 'utf8'));
    assert.deepEqual(JSON.parse(json).incidents.map((i: { kind: string }) => i.kind), ['oom_kill']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the second node runs with HEAP_FLAGS and without NODE_EXTRA_CA_CERTS, and a signal to the first ends both', async () => {
  // 64 MiB of a fixture's real boot lines, plus stdin ("-") held open: the second node waits on it,
  // so it is certainly alive when the signal comes.
  const oom = readFixture('host-6.18-memcg-v1-oom.dmesg.log');
  const filler = Buffer.from(oom.split('\n').slice(0, 4).join('\n').concat('\n').repeat(4096));
  const dir = mkdtempSync(join(tmpdir(), 'memtriage-heap-'));
  let parent: ReturnType<typeof spawn> | null = null;
  let child: number | null = null;
  try {
    const log = join(dir, 'big.log');
    const fd = openSync(log, 'w');
    for (let n = 0; n < BIG_INPUT_BYTES; n += filler.length) writeSync(fd, filler);
    closeSync(fd);
    parent = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'memtriage.js'), 'analyze', log, '-', '-o', join(dir, 'out.json')], { stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'extra-ca.pem') } });
    const p = parent;
    const exited = new Promise<string | null>((r) => p.on('exit', (_code, signal) => r(signal)));
    const childrenFile = `/proc/${parent.pid}/task/${parent.pid}/children`;
    for (let i = 0; i < 500 && child == null; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const pid = Number(readFileSync(childrenFile, 'utf8').trim().split(' ')[0]);
      if (pid > 0) child = pid;
    }
    assert.ok(child != null, 'the first node started a second one');
    // Between fork and exec the child's cmdline is still the first node's: wait for the exec.
    let argv: string[] = [];
    for (let i = 0; i < 250; i++) {
      argv = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0');
      if (argv.includes(HEAP_FLAGS[0])) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const f of HEAP_FLAGS) assert.ok(argv.includes(f), `${f} in ${argv.join(' ')}`);
    const environ = readFileSync(`/proc/${child}/environ`, 'utf8').split('\0');
    assert.ok(environ.some((e) => e.startsWith('PATH=')), 'the rest of the environment is passed on');
    assert.ok(!environ.some((e) => e.startsWith('NODE_EXTRA_CA_CERTS=')), 'no certificate file for the second node to read');
    p.kill('SIGTERM');
    assert.equal(await exited, 'SIGTERM');
    for (let i = 0; i < 100 && existsSync(`/proc/${child}`); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(!existsSync(`/proc/${child}`), 'the second node ended with the first');
  } finally {
    // Whatever is still running when an assertion failed (both wait on the stdin this test holds).
    for (const pid of [child, parent?.pid]) if (pid) try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    parent?.stdin?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
