import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, fixturePath, readFixture } from '../helpers.js';

const BIN = join(REPO_ROOT, 'bin', 'memtriage.js');
function run(args: string[], input?: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('analyze FILE --format json prints the contract', () => {
  const r = run(['analyze', fixturePath('seed003-4.9-oom-folded-one-line.log'), '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const a = JSON.parse(r.out);
  assert.equal(a.schema, 'memtriage/analysis@1');
  assert.equal(a.incidents[0].kind, 'oom_kill');
  assert.equal(a.incidents[0].victim.pid, 1439);
});

test('"-" reads standard input; text output names the victim', () => {
  const r = run(['analyze', '-'], readFixture('host-6.18-memcg-v1-oom.dmesg.log'));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /killed python3 \(pid 2822\)/);
});

test('an unreadable file exits 2 with a message naming it', () => {
  const r = run(['analyze', '/nonexistent/kern.log']);
  assert.equal(r.code, 2);
  assert.match(r.err, /\/nonexistent\/kern\.log: cannot read it \(ENOENT\)/);
});

test('bad usage exits 2 and points at --help', () => {
  const r = run(['analyze', '--format', 'xml', fixturePath('seed000-4.15-hung-task.log')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--format xml/);
  assert.equal(run(['frobnicate']).code, 2);
});

test('--kind and --since filter incidents; -o writes a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mt-cli-'));
  try {
    const out = join(dir, 'r.json');
    const r = run(['analyze', fixturePath('host-6.18-hung-task-fuse.dmesg.log'), '--kind', 'hung_task', '--since', '240', '-f', 'json', '-o', out]);
    assert.equal(r.code, 0, r.err);
    const a = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(a.incidents.map((i: { kind: string; seconds: number }) => [i.kind, i.seconds]), [['hung_task', 10], ['hung_task', 20]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('output into a pipe that closes early (| head) ends quietly', () => {
  // Several hundred KiB of JSON: far more than a pipe buffers, so the writer meets the closed pipe.
  const files = ['qemu-6.1-sysrq-t-first150.log', 'qemu-6.1-global-oom-4g.log', 'host-6.18-slabinfo.txt', 'host-6.18-zoneinfo.txt'].map((f) => `"${fixturePath(f)}"`).join(' ');
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" analyze ${files} --format json | head -1`], { encoding: 'utf8' });
  assert.match(r.stdout, /^\{/);
  assert.doesNotMatch(r.stderr, /EPIPE|Unhandled/);
});

test('--help teaches: formats, examples and exit codes', () => {
  const r = run(['analyze', '--help']);
  assert.equal(r.code, 0);
  for (const s of ['--format', '--since', '--fail-on', 'Examples:', 'Exit codes']) assert.ok(r.out.includes(s), s);
});

// A threshold set from the command line reaches the rule; unknown names are refused with the list.
test('--set RULE.OPTION=VALUE changes a rule\'s threshold; unknown rules/options exit 2 naming what exists', () => {
  const file = fixturePath('qemu-6.1-page-alloc-failure-order9-atomic.log');
  const sev = (args: string[]) => JSON.parse(run(['analyze', file, '--format', 'json', ...args]).out).findings.find((f: { rule: string }) => f.rule === 'unaccounted-memory').severity;
  // 427120 of 468168 kB (91.2 %) held by no counter: critical from 25 % by default, warning when critical needs 95 %.
  assert.equal(sev([]), 'critical');
  assert.equal(sev(['--set', 'unaccounted-memory.criticalShare=0.95']), 'warning');
  const bad = run(['analyze', file, '--set', 'zone-below-min.nope=1']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /rule zone-below-min has no option "nope" \(it has: atMinShare, groupReports\)/);
  assert.equal(run(['analyze', file, '--set', 'no-such-rule.x=1']).code, 2);
  assert.equal(run(['analyze', file, '--set', 'zone-below-min.atMinShare=much']).code, 2);
});
