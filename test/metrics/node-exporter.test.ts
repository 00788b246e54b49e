import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixtureReader } from '../../src/live/reader.js';
import { startMetricsExporter } from '../../src/metrics/exporter.js';
import { fixturePath } from '../helpers.js';

const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

test('--textfile: a real node_exporter textfile collector reads memtriage.prom without error and serves its values', { timeout: 60_000 }, async (t) => {
  if (!existsSync(NODE_EXPORTER)) return t.skip(`${NODE_EXPORTER} absent: apt-get install prometheus-node-exporter (Debian) to run this test`);
  const dir = mkdtempSync(join(tmpdir(), 'mt-fleet-textfile-'));
  const tree = fixturePath('proc-tree-host-6.18');
  const ex = await startMetricsExporter({ textfileDir: dir, reader: new FixtureReader(tree), kmsg: fixturePath('host-6.18-memcg-v1-oom-multi.kmsg.log') });
  let ne: ChildProcess | null = null;
  try {
    const port = await freePort();
    ne = spawn(NODE_EXPORTER, ['--collector.disable-defaults', '--collector.textfile', `--collector.textfile.directory=${dir}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    let text = '';
    for (let i = 0; i < 100 && ne.exitCode === null; i++) {
      text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => '');
      if (text.includes('node_textfile_scrape_error')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(text, /^node_textfile_scrape_error 0$/m, 'node_exporter parsed the file');
    const memTotalKb = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync(join(tree, 'proc/meminfo'), 'utf8'))![1]);
    // node_exporter re-prints values in Go's float notation (2.5276063744e+10): compare numbers.
    const value = (series: string) => Number(text.split('\n').find((l) => l.startsWith(`${series} `))?.slice(series.length + 1));
    assert.equal(value('memtriage_memory_total_bytes'), memTotalKb * 1024);
    assert.equal(value('memtriage_oom_kills_total{cgroup="/mt-fixture-multi",program="python3"}'), 1);
  } finally {
    if (ne && ne.exitCode === null) { ne.kill('SIGTERM'); await once(ne, 'exit'); }
    await ex.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
