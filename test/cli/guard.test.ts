import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { guardCommand } from '../../src/cli/guard.js';
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/command.js';
import { parseJsonl, toCsv } from '../../src/guard/series.js';
import { fixturePath, readFixture, runCommand } from '../helpers.js';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: (s: string) => ((err += s), true) }, stdin: process.stdin, env: process.env } as unknown as CliIO;
  const code = await main(argv, io);
  return { code, out, err };
}

describe('memtriage guard (CLI)', () => {
  it('is listed, and its --help teaches the thresholds, modes and output', async () => {
    const top = await cli(['--help']);
    assert.match(top.out, /guard\s+daemon: catch the swapless thrash spiral/);
    const h = await cli(['guard', '--help']);
    assert.equal(h.code, 0);
    for (const s of ['--mode', 'dry-run', '--some-percent', '--hold-ms', '--major-faults', '--replay', '--protect', 'JSON lines']) assert.ok(h.out.includes(s), s);
  });

  it('declares its parseArgs options (deploy files are checked against them)', () => {
    assert.ok(guardCommand.options);
    for (const k of ['mode', 'interval-ms', 'watch', 'bundle-dir', 'protect', 'replay']) assert.ok(k in guardCommand.options!, k);
  });

  it('--replay of a recorded storm prints the decision as a JSON line and exits 1', async () => {
    const r = await runCommand(guardCommand, ['--replay', fixturePath('guard-host-6.18-storm.jsonl')]);
    assert.equal(r.code, 1);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as { event: string; decision: { cgroup: string }; choice: { victim: { comm: string } } });
    assert.equal(lines.length, 1);
    assert.equal(lines[0].decision.cgroup, '/mt-guard-rec');
    assert.equal(lines[0].choice.victim.comm, 'mtg-hog');
    assert.match(r.err, /1 storm decision/);
  });

  it('--replay of the quiet series exits 0; thresholds change the outcome', async () => {
    assert.equal((await runCommand(guardCommand, ['--replay', fixturePath('guard-host-6.18-quiet.jsonl')])).code, 0);
    assert.equal((await runCommand(guardCommand, ['--replay', fixturePath('guard-host-6.18-storm.jsonl'), '--some-percent', '60', '--severe-some-percent', '90', '--severe-full-percent', '90'])).code, 0);
  });

  it('--replay reads a CSV too, and names bad lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-guard-cli-'));
    try {
      const csv = toCsv(parseJsonl(readFixture('guard-host-6.18-storm.jsonl')).samples).split('\n');
      csv.splice(5, 0, 'oops,/x');
      const f = join(dir, 's.csv');
      writeFileSync(f, csv.join('\n'));
      const r = await runCommand(guardCommand, ['--replay', f]);
      assert.equal(r.code, 1);
      assert.match(r.err, /s\.csv:6: needs a numeric t_ms/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--metrics serves the guard\'s view to Prometheus while it runs (issue 11\'s exporter as an observer)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-guard-cli-'));
    try {
      const port = 20000 + Math.floor(Math.random() * 30000);
      const run = cli(['guard', '--metrics', `127.0.0.1:${port}`, '--watch', '/mt-guard-none', '--no-host', '--duration-s', '3', '--bundle-dir', dir]);
      await new Promise((r) => setTimeout(r, 1500));
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(text, /memtriage_guard_mode\{mode="dry-run"\} 1/);
      assert.match(text, /memtriage_guard_last_tick_timestamp_seconds \d/);
      const r = await run;
      assert.equal(r.code, 0, r.err);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad usage exits 2 with a message, never a stack', async () => {
    for (const argv of [['guard', '--mode', 'nuke'], ['guard', '--mode', 'warn'], ['guard', '--some-percent', 'lots'], ['guard', '--bogus'], ['guard', '--prefer', '('],
      // The quiet floor at or above the stall that starts a storm (10 % by default), on both sides of it below.
      ['guard', '--quiet-stall-percent', '10'], ['guard', '--some-percent', '5', '--quiet-stall-percent', '5'], ['guard', '--quiet-stat-ms', '10001'], ['guard', '--quiet-stat-ms', '1s'],
      // The calm tick interval: not below --interval-ms, not above 500 ms.
      ['guard', '--quiet-interval-ms', '99'], ['guard', '--quiet-interval-ms', '501'], ['guard', '--interval-ms', '50', '--quiet-interval-ms', '49']]) {
      const r = await cli(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, /memtriage guard: /);
      assert.doesNotMatch(r.err, /\n\s+at /);
    }
    assert.match((await cli(['guard', '--quiet-stall-percent', '10'])).err, /--quiet-stall-percent \(10\) must be below --some-percent \(10\)/);
    // Just under the bar is accepted (runs, watching nothing, for one second).
    const dir = mkdtempSync(join(tmpdir(), 'mt-guard-cli-'));
    try {
      const ok = await cli(['guard', '--quiet-stall-percent', '9.9', '--quiet-stat-ms', '10000', '--quiet-interval-ms', '500', '--watch', '/mt-guard-none', '--no-host', '--duration-s', '1', '--bundle-dir', dir]);
      assert.equal(ok.code, 0, ok.err);
      assert.match(ok.err, /every 100 ms \(500 ms while nothing stalls\)/);
      const same = await cli(['guard', '--interval-ms', '1000', '--watch', '/mt-guard-none', '--no-host', '--duration-s', '1', '--bundle-dir', dir]);
      assert.equal(same.code, 0, same.err);
      assert.match(same.err, /every 1000 ms \(1000 ms while nothing stalls\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const missing = await cli(['guard', '--replay', '/nonexistent/samples.jsonl']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /\/nonexistent\/samples\.jsonl: cannot read \(ENOENT\)/);
  });
});
