/**
 * npm run bench [-- --regenerate] [-- --size MiB]: analyzes the generated log with the real CLI
 * in a child process (so peak RSS is the analyzer's own, read from /usr/bin/time -v, or from
 * process.resourceUsage() in a wrapper when time(1) is missing), then times grep -c -E over the
 * same file for the incident markers. Each is run twice and the better time kept: the second
 * run reads from a warm page cache, which is what a comparison of CPU work wants.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MARKERS } from '../src/parse/kernel/markers.js';
import { ensureBenchFile } from './generate.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const sizeMiB = Number(args[args.indexOf('--size') + 1]) || 1024;
const regenerate = args.includes('--regenerate');
const file = join(ROOT, 'bench', 'data', `kern-${sizeMiB}m.log`);
const MB = 1e6;

interface Run { seconds: number; maxRssKb: number | null; stdout: string }

function timed(cmd: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && !(cmd === 'grep' && r.status === 1)) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  return { seconds, maxRssKb: rss ? Number(rss[1]) : null, stdout: r.stdout };
}

/** The CLI under time(1) when there is one; else a wrapper that reports the child's maxRSS. */
function analyzeOnce(out: string): Run {
  const cli = ['bin/memtriage.js', 'analyze', file, '--format', 'json', '-o', out];
  if (existsSync('/usr/bin/time')) return timed('/usr/bin/time', ['-v', process.execPath, ...cli]);
  const wrap = `const r=require('child_process').spawnSync(process.execPath,${JSON.stringify(cli)},{stdio:'inherit'});` +
    `console.error('Maximum resident set size (kbytes): '+process.resourceUsage().maxRSS);process.exit(r.status)`;
  return timed(process.execPath, ['-e', wrap]);
}

function best(runs: Run[]): Run {
  const fastest = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  // Peak memory is reported as the worst seen, so a lucky run cannot hide a spike.
  const rss = runs.map((r) => r.maxRssKb ?? 0).reduce((a, b) => Math.max(a, b), 0);
  return { ...fastest, maxRssKb: rss || null };
}

async function main(): Promise<number> {
  const meta = await ensureBenchFile(join(ROOT, 'test', 'fixtures'), file, regenerate, sizeMiB * (1 << 20));
  const bytes = statSync(file).size;
  const out = join(tmpdir(), `memtriage-bench-${process.pid}.json`);
  const analyzeRun = best([analyzeOnce(out), analyzeOnce(out)]);
  const analysis = JSON.parse(readFileSync(out, 'utf8')) as { incidents: { copies?: unknown[] }[]; inputs: { format: string; lines: number }[] };
  rmSync(out, { force: true });
  const pattern = MARKERS.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const grepEnv = { ...process.env, LC_ALL: 'C' };
  const grepRun = best([timed('grep', ['-c', '-E', pattern, file], grepEnv), timed('grep', ['-c', '-E', pattern, file], grepEnv)]);
  // A report inserted verbatim more than once (console fixtures keep no clock of their own) is one
  // incident with copies: every copy counts as found.
  const found = analysis.incidents.reduce((n, i) => n + 1 + (i.copies?.length ?? 0), 0);
  const rows: [string, string][] = [
    ['file', `${file} (${(bytes / MB).toFixed(0)} MB, ${meta.lines} lines, format ${analysis.inputs[0]?.format})`],
    ['analyze wall time', `${analyzeRun.seconds.toFixed(2)} s`],
    ['throughput', `${(bytes / MB / analyzeRun.seconds).toFixed(0)} MB/s`],
    ['peak RSS', analyzeRun.maxRssKb ? `${(analyzeRun.maxRssKb / 1024).toFixed(0)} MiB` : 'unknown'],
    ['incidents', `${found} (generator inserted ${meta.inserted} reports holding ${meta.expectedIncidents})`],
    ['grep -c -E markers', `${grepRun.seconds.toFixed(2)} s (${grepRun.stdout.trim()} matching lines, LC_ALL=C)`],
    ['ratio analyze/grep', `${(analyzeRun.seconds / grepRun.seconds).toFixed(2)}x`],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(20)} ${v}`);
  if (found !== meta.expectedIncidents) {
    console.error(`FAIL: analyze found ${found} incidents, the generator inserted ${meta.expectedIncidents}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
