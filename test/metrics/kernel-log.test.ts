import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelLogKills } from '../../src/metrics/kernel-log.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { readFixture } from '../helpers.js';

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 250 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
}

test('kernel log kills: read on a timer without any scrape, as the log grows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mt-fleet-kmsg-'));
  const path = join(dir, 'kmsg');
  const text = readFixture('host-6.18-memcg-v1-oom-multi.kmsg.log');
  const cut = text.indexOf('3,502,'); // the second victim line
  writeFileSync(path, text.slice(0, cut));
  const m = createMetrics();
  const k = new KernelLogKills(m, path, 100, () => undefined, 20);
  const series = async () => (await m.registry.metrics()).split('\n').filter((l) => l.startsWith('memtriage_oom_kills_total{'));
  try {
    await until(async () => (await series()).length === 1);
    assert.deepEqual(await series(), ['memtriage_oom_kills_total{cgroup="/mt-fixture",program="python3"} 1']);
    appendFileSync(path, text.slice(cut));
    await until(async () => (await series()).length === 2);
    assert.deepEqual(await series(), [
      'memtriage_oom_kills_total{cgroup="/mt-fixture",program="python3"} 1',
      'memtriage_oom_kills_total{cgroup="/mt-fixture-multi",program="python3"} 1',
    ]);
    assert.match(await m.registry.metrics(), /^memtriage_kernel_log_up 1$/m);
  } finally {
    await k.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
