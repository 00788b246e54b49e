import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { analyze } from '../../src/index.js';
import { packingOf } from '../../src/read/decompress.js';
import { REPO_ROOT, fixturePath, readFixture } from '../helpers.js';

// Issue 9 item 5 (inputs): packing told by magic bytes on files, stdin and pipes; truncation reported.
// The compressed fixtures are host-6.18-memcg-v1-oom.dmesg.log packed by gzip, xz, bzip2 and zstd.
const BIN = join(REPO_ROOT, 'bin', 'memtriage.js');
const PACKED = { gzip: 'gz', xz: 'xz', bzip2: 'bz2', zstd: 'zst' } as const;
const packed = (ext: string) => fixturePath(`compressed/host-6.18-memcg-v1-oom.dmesg.log.${ext}`);
let dir = '';

before(() => { dir = mkdtempSync(join(tmpdir(), 'mt-packed-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

test('packingOf: each magic, and text that merely starts like one stays plain', () => {
  for (const [packing, ext] of Object.entries(PACKED)) assert.equal(packingOf(readFileSync(packed(ext)).subarray(0, 10)), packing);
  assert.equal(packingOf(Buffer.from('BZh9 is not bzip2 without the block magic\n')), 'plain');
  assert.equal(packingOf(Buffer.from('[  118.239424] python3 invoked oom-killer')), 'plain');
  assert.equal(packingOf(Buffer.alloc(0)), 'plain');
});

test('each packing, named without its extension, gives the same incidents as the plain file', async () => {
  const plain = await analyze([{ path: fixturePath('host-6.18-memcg-v1-oom.dmesg.log') }], { rules: [] });
  for (const [packing, ext] of Object.entries(PACKED)) {
    const noExt = join(dir, `kernlog-${packing}`);
    copyFileSync(packed(ext), noExt);
    const a = await analyze([{ path: noExt }], { rules: [] });
    assert.equal(a.inputs[0].packing, packing);
    assert.deepEqual(a.problems, [], packing);
    assert.deepEqual(a.incidents.map((i) => [i.kind, i.line, i.endLine]), plain.incidents.map((i) => [i.kind, i.line, i.endLine]), packing);
  }
});

test('compressed standard input is decoded (gzip, xz, bzip2, zstd piped into "-")', () => {
  for (const [packing, ext] of Object.entries(PACKED)) {
    const r = spawnSync(process.execPath, [BIN, 'analyze', '-', '-f', 'json'], { input: readFileSync(packed(ext)), encoding: 'utf8' });
    assert.equal(r.status, 0, `${packing}: ${r.stderr}`);
    const a = JSON.parse(r.stdout);
    assert.equal(a.inputs[0].packing, packing);
    assert.equal(a.incidents[0].victim.pid, 2822, packing);
  }
});

test('a truncated xz or gzip keeps what decoded and reports the break; a truncated bzip2/zstd block says it broke off', async () => {
  for (const [packing, ext] of Object.entries(PACKED)) {
    const cut = join(dir, `cut-${packing}`);
    const bytes = readFileSync(packed(ext));
    writeFileSync(cut, bytes.subarray(0, bytes.length - 300));
    const a = await analyze([{ path: cut }], { rules: [] });
    const msg = a.problems.map((p) => p.message).join('\n');
    assert.match(msg, packing === 'gzip' ? /the gzip data (may end early|breaks off)/ : new RegExp(`the ${packing} data breaks off after \\d+ bytes`), packing);
    assert.ok(msg.includes(cut), 'the problem names the file');
    // xz and gzip stream out what they decoded; bzip2 and zstd decode whole blocks, and this file is one block.
    if (packing === 'gzip' || packing === 'xz') assert.equal(a.incidents[0]?.kind, 'oom_kill', packing);
  }
});

test('process substitution and a named FIFO are read once, as streams (no ESPIPE, no hang)', async () => {
  const sub = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" analyze <(cat "${packed('xz')}") -f json`], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(sub.status, 0, sub.stderr);
  assert.equal(JSON.parse(sub.stdout).incidents[0].victim.pid, 2822);
  const fifo = join(dir, 'fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const writer = spawn('sh', ['-c', `cat "${fixturePath('host-6.18-memcg-v1-oom.dmesg.log')}" > "${fifo}"`]);
  const r = spawnSync(process.execPath, [BIN, 'analyze', fifo], { encoding: 'utf8', timeout: 60_000 });
  writer.kill();
  assert.equal(r.status, 0, r.stderr || String(r.error));
  assert.match(r.stdout, /killed python3 \(pid 2822\)/);
  void readFixture;
});
