import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { collectCommand } from '../../src/cli/collect.js';
import { readBundle } from '../../src/read/bundle.js';
import { isRoot, runCommand } from '../helpers.js';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'helpers', 'collect-child.js');
let dir = '';
before(() => (dir = mkdtempSync(join(tmpdir(), 'mt-collect-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

const run = (argv: string[]) => runCommand(collectCommand, argv);

test('collect writes a bundle that readBundle gives back member by member', async () => {
  const out = join(dir, 'bundle.tar.gz');
  const r = await run(['-o', out]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), out);
  const members = await readBundle(out);
  assert.ok(members, 'readBundle recognises it');
  const names = members!.map((m) => m.name);
  for (const n of ['uname.txt', 'proc/meminfo', 'proc/vmstat', 'proc/zoneinfo', 'proc/buddyinfo', 'proc/pressure/memory',
    'proc/sys/vm/min_free_kbytes', 'proc/sys/vm/overcommit_memory', 'proc/sys/vm/panic_on_oom', `proc/1/status`,
    'residency.txt', 'residency.json', 'where.json']) {
    assert.ok(names.includes(n), `member ${n} missing`);
  }
  assert.ok(!names.includes('manifest.json'), 'the manifest describes the bundle; it is not an input');
  if (isRoot) {
    assert.ok(names.includes('kmsg.log') || names.includes('dmesg.log'), 'kernel log as root');
    assert.ok(names.includes('proc/slabinfo'));
    assert.ok(names.some((n) => n.startsWith('sys/fs/cgroup/') && n.endsWith('/memory.stat')));
  }
  const meminfo = members!.find((m) => m.name === 'proc/meminfo')!.text;
  assert.match(meminfo, /^MemTotal:\s+\d+ kB$/m);
  assert.deepEqual(readdirSync(dir), ['bundle.tar.gz'], 'no staging or temp file left behind');
});

test('readBundle says null for what is not a bundle', async () => {
  const plain = join(dir, 'plain.log');
  writeFileSync(plain, 'MemTotal: 1 kB\n');
  assert.equal(await readBundle(plain), null);
  assert.equal(await readBundle(join(dir, 'absent')), null);
});

test('collect names the path when it cannot write there (exit 2)', async () => {
  const r = await run(['-o', join(dir, 'no-such-dir', 'x.tar.gz')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /no-such-dir\/x\.tar\.gz: its directory .*no-such-dir does not exist/);
});

for (const [mode, signal] of [['block', 'midway'], ['finish', 'finishing']] as const) {
  test(`a collect killed with SIGKILL (${mode === 'block' ? 'while collecting' : 'while writing the archive'}) leaves nothing under the final name`, async () => {
    const out = join(dir, `killed-${mode}.tar.gz`);
    const child = spawn(process.execPath, [CHILD, '--child', out, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (c) => {
        buf += c;
        if (buf.includes(signal)) resolve();
      });
      child.once('exit', () => reject(new Error(`child exited early: ${buf}`)));
    });
    child.kill('SIGKILL');
    await once(child, 'exit');
    assert.ok(!buf.includes('finished'), 'the kill landed before the rename');
    assert.equal(existsSync(out), false);
    const left = readdirSync(dir).filter((n) => n.includes(`killed-${mode}`));
    assert.ok(left.every((n) => n.startsWith('.')), `only dot-named leftovers: ${left.join(' ')}`);
  });
}
