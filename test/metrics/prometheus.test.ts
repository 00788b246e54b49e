import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, constants, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuardView } from '../../src/guard/view.js';
import { RealReader } from '../../src/live/real-reader.js';
import { startMetricsExporter } from '../../src/metrics/exporter.js';
import { oomLabUnavailable, realOomKill } from './helpers/oom-lab.js';

const PROMETHEUS = '/usr/bin/prometheus';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Sample { metric: Record<string, string>; value: [number, string] }

async function query(api: string, q: string): Promise<Sample[]> {
  const r = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await r.json()) as { status: string; data: { result: Sample[] } };
  assert.equal(body.status, 'success', q);
  return body.data.result;
}

async function one(api: string, q: string): Promise<number> {
  const r = await query(api, q);
  assert.equal(r.length, 1, `${q}: ${JSON.stringify(r)}`);
  return Number(r[0].value[1]);
}

function meminfoKb(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of readFileSync('/proc/meminfo', 'utf8').matchAll(/^([\w()]+):\s+(\d+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}

function kmsgReadable(): boolean {
  try { closeSync(openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK)); return true; } catch { return false; }
}

const VIEW: GuardView = {
  atMs: Date.now(), mode: 'dry-run', detectionsTotal: 2, actionsTotal: { bundle: 2, hook: 1 }, lockedBytes: 41_943_040,
  cgroups: [
    { cgroup: '/', memSomeRatio1s: 0.03, memFullRatio1s: 0.01, memSomeRatio10s: 0.02, memFullRatio10s: 0, majorFaultsPerSec: 5, refaultsPerSec: 2, state: 'quiet' },
    { cgroup: '/mt-fleet-prom', memSomeRatio1s: 0.875, memFullRatio1s: 0.5, memSomeRatio10s: 0.625, memFullRatio10s: 0.375, majorFaultsPerSec: 1250, refaultsPerSec: 3000, state: 'storm' },
  ],
};

test('a real Prometheus scrapes the exporter and its API returns what was fed in and what /proc says', { timeout: 180_000 }, async (t) => {
  if (!existsSync(PROMETHEUS)) return t.skip(`${PROMETHEUS} absent: apt-get install prometheus (Debian) to run this test`);
  const lab = oomLabUnavailable();
  // A real OOM kill in a memory cgroup before the first scrape, when this machine allows one.
  const kill = lab ? null : await realOomKill('prom');
  if (lab) t.diagnostic(`OOM kill part skipped: ${lab}`);

  const reader = new RealReader();
  const ex = await startMetricsExporter({ listen: '127.0.0.1:0', reader });
  const dir = mkdtempSync(join(tmpdir(), 'mt-fleet-prometheus-'));
  let prom: ChildProcess | null = null;
  try {
    ex.observe(VIEW);
    const promPort = await freePort();
    writeFileSync(join(dir, 'prometheus.yml'), [
      'global:', '  scrape_interval: 1s', '  scrape_timeout: 1s',
      'scrape_configs:', '  - job_name: memtriage', '    static_configs:', `      - targets: ['${ex.address}']`, '',
    ].join('\n'));
    let log = '';
    prom = spawn(PROMETHEUS, [
      `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=warn',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    prom.stderr!.on('data', (c: Buffer) => { log = (log + c.toString()).slice(-4000); });
    const api = `http://127.0.0.1:${promPort}`;

    // Wait (not a timing assertion: CPU is shared) until Prometheus has stored a successful scrape.
    let up: Sample[] = [];
    for (let i = 0; i < 240 && prom.exitCode === null; i++) {
      up = await query(api, 'up{job="memtriage"} == 1').catch(() => []);
      if (up.length === 1 && (await query(api, 'memtriage_memory_total_bytes').catch(() => [])).length === 1) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(up.length, 1, `Prometheus never scraped the exporter successfully; its log:\n${log}`);

    // What the guard fed in comes back through Prometheus unchanged.
    assert.equal(await one(api, 'memtriage_cgroup_memory_pressure_ratio{cgroup="/mt-fleet-prom",kind="some",window="10s"}'), 0.625);
    assert.equal(await one(api, 'memtriage_cgroup_memory_pressure_ratio{cgroup="/mt-fleet-prom",kind="full",window="1s"}'), 0.5);
    assert.equal(await one(api, 'memtriage_cgroup_refaults_per_second{cgroup="/mt-fleet-prom"}'), 3000);
    assert.equal(await one(api, 'memtriage_cgroup_major_page_faults_per_second{cgroup="/mt-fleet-prom"}'), 1250);
    assert.equal(await one(api, 'memtriage_cgroup_guard_state{cgroup="/mt-fleet-prom",state="storm"}'), 1);
    assert.equal(await one(api, 'memtriage_guard_detections_total'), 2);
    assert.equal(await one(api, 'memtriage_guard_actions_total{action="hook"}'), 1);
    assert.equal(await one(api, 'memtriage_guard_locked_bytes'), 41_943_040);
    assert.equal(await one(api, 'memtriage_guard_mode{mode="dry-run"}'), 1);

    // The accounting against /proc/meminfo read here: MemTotal and the hugetlb pool are exact; anon
    // moves while other work runs on this shared machine, so it only has to be in the right place.
    const kb = meminfoKb();
    assert.equal(await one(api, 'memtriage_memory_total_bytes'), kb.MemTotal * 1024);
    assert.equal(await one(api, 'memtriage_memory_holder_bytes{holder="hugetlb"}'), (kb.Hugetlb ?? 0) * 1024);
    // anon and cache move while other work runs on this shared machine: the scraped value must lie
    // within what /proc/meminfo said just before and just after, give or take 256 MiB.
    const within = async (holder: string, of: (m: Record<string, number>) => number) => {
      const a = of(meminfoKb());
      const v = await one(api, `memtriage_memory_holder_bytes{holder="${holder}"}`);
      const b = of(meminfoKb());
      const slack = 256 * 1024 * 1024;
      assert.ok(v > 0 && v >= Math.min(a, b) - slack && v <= Math.max(a, b) + slack, `${holder} ${v} vs /proc/meminfo ${a}..${b}`);
    };
    await within('anon', (m) => m.AnonPages * 1024);
    await within('cache', (m) => (m.Cached - m.Shmem + m.Buffers) * 1024);
    assert.equal((await query(api, 'memtriage_memory_holder_bytes')).length, 6);
    assert.equal(await one(api, 'memtriage_memory_accounting_up'), 1);

    assert.equal(await one(api, 'memtriage_kernel_log_up'), kmsgReadable() ? 1 : 0);
    if (kill) {
      const q = `memtriage_oom_kills_total{cgroup="${kill.cgroup}",program="${kill.comm}"}`;
      assert.equal(await one(api, q), 1, `the kill of pid ${kill.pid} in ${kill.cgroup}`);
    }
    if (process.env.MEMTRIAGE_SCRAPE_OUT) {
      // For the README: the exposition text of a scrape, and what Prometheus' API answers.
      writeFileSync(process.env.MEMTRIAGE_SCRAPE_OUT, await (await fetch(`http://${ex.address}/metrics`)).text());
      const q = 'memtriage_memory_holder_bytes{holder="unaccounted"} / ignoring(holder) memtriage_memory_total_bytes';
      writeFileSync(`${process.env.MEMTRIAGE_SCRAPE_OUT}.api.json`, JSON.stringify({ query: q, result: await query(api, q), kills: await query(api, 'memtriage_oom_kills_total') }, null, 1));
    }
  } finally {
    if (prom && prom.exitCode === null) {
      prom.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([once(prom, 'exit'), new Promise((r) => { timer = setTimeout(r, 10_000); })]);
      clearTimeout(timer);
      if (prom.exitCode === null && prom.signalCode === null) prom.kill('SIGKILL');
    }
    await ex.close();
    await reader.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
