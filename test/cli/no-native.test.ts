import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { REPO_ROOT, fixturePath } from '../helpers.js';

// Item 5 of issue 10: each command loads only what it needs. With koffi's native module missing
// (another architecture, a failed build), analyze and --help still work; cache says what is missing.
const BIN = join(REPO_ROOT, 'bin', 'memtriage.js');
let dir = '';
let register = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mt-nonative-'));
  // A module resolve hook that makes "koffi" unresolvable, as on a machine where it did not install.
  writeFileSync(join(dir, 'hooks.mjs'), `export async function resolve(spec, ctx, next) {
  if (spec === 'koffi' || spec.startsWith('koffi/')) { const e = new Error("Cannot find package 'koffi'"); e.code = 'ERR_MODULE_NOT_FOUND'; throw e; }
  return next(spec, ctx);
}\n`);
  register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('the hook really hides koffi (otherwise the tests below prove nothing)', () => {
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, '-e', 'await import("koffi")', '--input-type=module'], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /Cannot find package 'koffi'/);
});

test('without koffi: --help, analyze and analyze -f json work', () => {
  const help = run(['--help']);
  assert.equal(help.code, 0, help.err);
  assert.match(help.out, /Usage: memtriage <command>/);
  const a = run(['analyze', fixturePath('host-6.18-memcg-v1-oom.dmesg.log')]);
  assert.equal(a.code, 0, a.err);
  assert.match(a.out, /killed python3 \(pid 2822\)/);
  assert.equal(run(['analyze', fixturePath('qemu-5.10-hung-task.log'), '-f', 'json']).code, 0);
});

test('without koffi: cache explains what is missing (exit 2, no stack trace)', () => {
  const r = run(['cache', fixturePath('host-6.18-meminfo.txt')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /the native module koffi could not be loaded .*reinstall memtriage with "npm ci"/);
  assert.doesNotMatch(r.err, /^\s+at /m);
});
