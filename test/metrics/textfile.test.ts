import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixtureReader } from '../../src/live/reader.js';
import { startMetricsExporter } from '../../src/metrics/exporter.js';
import { TextfileError } from '../../src/metrics/textfile.js';
import { fixturePath } from '../helpers.js';

test('--textfile: DIR/memtriage.prom written whole (no temp file left), no HTTP, removed on close', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mt-fleet-textfile-'));
  try {
    const ex = await startMetricsExporter({ textfileDir: dir, reader: new FixtureReader(fixturePath('proc-tree-host-6.18')), kmsg: false });
    assert.equal(ex.address, undefined, 'only the textfile was asked for');
    assert.deepEqual(readdirSync(dir), ['memtriage.prom']);
    const text = readFileSync(join(dir, 'memtriage.prom'), 'utf8');
    const total = /^memtriage_memory_total_bytes (\d+)$/m.exec(text);
    const memTotalKb = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync(fixturePath('proc-tree-host-6.18/proc/meminfo'), 'utf8'))![1]);
    assert.equal(Number(total?.[1]), memTotalKb * 1024);
    assert.match(text, /^memtriage_memory_accounting_up 1$/m);
    assert.doesNotMatch(text, /^memtriage_kernel_log_up/m, 'kmsg not asked for: no claim either way');
    await ex.close();
    assert.equal(existsSync(join(dir, 'memtriage.prom')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--textfile: a missing directory or a file is refused, nothing created', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mt-fleet-textfile-'));
  try {
    const reader = new FixtureReader(fixturePath('proc-tree-host-6.18'));
    await assert.rejects(startMetricsExporter({ textfileDir: join(dir, 'nope'), reader, kmsg: false }), TextfileError);
    writeFileSync(join(dir, 'file'), 'x');
    await assert.rejects(startMetricsExporter({ textfileDir: join(dir, 'file'), reader, kmsg: false }), /not a directory/);
    assert.deepEqual(readdirSync(dir), ['file']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kernel log unreadable → memtriage_kernel_log_up 0 (kills not counted is said, not hidden)', async () => {
  const told: string[] = [];
  const ex = await startMetricsExporter({ listen: '127.0.0.1:0', reader: new FixtureReader(fixturePath('proc-tree-host-6.18')), kmsg: '/nonexistent/kmsg', onError: (m) => told.push(m) });
  try {
    assert.deepEqual(told, ['kernel log: cannot open /nonexistent/kmsg (ENOENT); OOM kills are not counted']);
    const text = await (await fetch(`http://${ex.address}/metrics`)).text();
    assert.match(text, /^memtriage_kernel_log_up 0$/m);
    assert.equal((await fetch(`http://${ex.address}/other`)).status, 404);
  } finally {
    await ex.close();
  }
});

test('OOM kill series cap: beyond maxOomSeries pairs, kills are counted under cgroup/program "other"', async () => {
  // Two real kills in two cgroups (/mt-fixture, /mt-fixture-multi); a cap of 1 keeps the first.
  const kmsg = fixturePath('host-6.18-memcg-v1-oom-multi.kmsg.log');
  const reader = new FixtureReader(fixturePath('proc-tree-host-6.18'));
  const capped = await startMetricsExporter({ listen: '127.0.0.1:0', reader, kmsg, maxOomSeries: 1 });
  const text = await capped.render();
  await capped.close();
  const kills = text.split('\n').filter((l) => l.startsWith('memtriage_oom_kills_total{'));
  assert.deepEqual(kills, ['memtriage_oom_kills_total{cgroup="/mt-fixture",program="python3"} 1', 'memtriage_oom_kills_total{cgroup="other",program="other"} 1']);
  const open = await startMetricsExporter({ listen: '127.0.0.1:0', reader, kmsg, maxOomSeries: 2 });
  const all = (await open.render()).split('\n').filter((l) => l.startsWith('memtriage_oom_kills_total{'));
  await open.close();
  assert.equal(all.length, 2);
  assert.ok(!all.some((l) => l.includes('other')));
});

test('--textfile: rewritten on its interval with the guard\'s latest view; nothing comes back after close', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mt-fleet-textfile-'));
  try {
    const ex = await startMetricsExporter({ textfileDir: dir, reader: new FixtureReader(fixturePath('proc-tree-host-6.18')), kmsg: false, textfileIntervalMs: 20 });
    ex.observe({ atMs: 1, mode: 'warn', cgroups: [], detectionsTotal: 3, actionsTotal: {}, lockedBytes: null });
    const path = join(dir, 'memtriage.prom');
    for (let i = 0; i < 250 && !/^memtriage_guard_detections_total 3$/m.test(readFileSync(path, 'utf8')); i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(readFileSync(path, 'utf8'), /^memtriage_guard_detections_total 3$/m);
    assert.match(readFileSync(path, 'utf8'), /^memtriage_guard_mode\{mode="warn"\} 1$/m);
    await ex.close();
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
