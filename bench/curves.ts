/**
 * npm run bench: cost curves, not one point. Each point runs the real CLI in a child under
 * /usr/bin/time -v (wall time, peak RSS) and `LC_ALL=C grep -c -E <markers>` over the same file in
 * the same run (the ratio is what compares across machines and loads), twice each, best time,
 * worst RSS. Per curve it fits the exponent k of time ∝ size^k between the first and last points
 * (1 = linear). /proc/loadavg is printed with every point: the machine is shared.
 *   --quick           fewer and smaller points (a smoke run)
 *   --only NAME       one curve: size, oom, distinct, folded, hung, blank, longline, startup
 *   --regenerate      rebuild the data in bench/data/
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MARKERS } from '../src/parse/kernel/markers.js';
import { buildBlank, buildCopies, buildDistinct, buildLongLine, buildSized } from './corpus.js';
import { blankRates, startup } from './rates.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIX = join(ROOT, 'test', 'fixtures');
const DATA = join(ROOT, 'bench', 'data');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
if (args.includes('--regenerate')) rmSync(DATA, { recursive: true, force: true });
const MiB = 1 << 20;

interface Run { seconds: number; rssMiB: number | null; status: number | null; stderr: string; cpuSec: number | null }

function timed(argv: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', ...argv], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 256 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  // user + system CPU of the child: on a shared machine the wall time waits for other jobs.
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr ?? ''), sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr ?? '');
  const cpuSec = user && sys ? Number(user[1]) + Number(sys[1]) : null;
  return { seconds, rssMiB: rss ? Number(rss[1]) / 1024 : null, status: r.status, stderr: r.stderr, cpuSec };
}

function best(f: () => Run, n = 2): Run {
  const runs = Array.from({ length: n }, f);
  const fastest = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { ...fastest, rssMiB: runs.reduce((m, r) => Math.max(m, r.rssMiB ?? 0), 0) || null };
}

const pattern = MARKERS.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
const grep = (file: string) => best(() => timed(['grep', '-c', '-E', pattern, file], { ...process.env, LC_ALL: 'C' }));

function analyzeRun(file: string, format: 'json' | 'text'): Run & { incidents: number | null } {
  const out = join(tmpdir(), `memtriage-curve-${process.pid}.${format}`);
  const r = best(() => timed([process.execPath, 'bin/memtriage.js', 'analyze', file, '-f', format, '-o', out]));
  const incidents = format === 'json' && existsSync(out) ? countIncidents(out) : null;
  rmSync(out, { force: true });
  // 3: "nothing was analyzed" (an input of blank lines is empty), which the blank curve expects.
  if (r.status !== 0 && r.status !== 1 && !(r.status === 3 && /is empty/.test(r.stderr))) console.log(`    ! analyze exited ${r.status}: ${r.stderr.split('\n').filter((l) => !/^\s/.test(l)).slice(0, 3).join(' | ')}`);
  return { ...r, incidents };
}

/**
 * Incidents in a JSON report without reading it into one string (100,000 hung tasks make over
 * 512 MB of JSON, past V8's string limit): each incident starts with its "kind" at 6 spaces.
 */
function countIncidents(path: string): number {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  const needle = Buffer.from('\n      "kind": ');
  let n = 0, carry = Buffer.alloc(0);
  try {
    for (let got; (got = readSync(fd, buf, 0, buf.length, null)) > 0;) {
      const b = Buffer.concat([carry, buf.subarray(0, got)]);
      for (let i = b.indexOf(needle); i !== -1; i = b.indexOf(needle, i + 1)) n++;
      carry = Buffer.from(b.subarray(Math.max(0, b.length - needle.length + 1)));
    }
  } finally {
    closeSync(fd);
  }
  return n;
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

interface Point { x: number; label: string; seconds: number; grepSec: number; bytes: number; cpuSec: number | null; grepCpuSec: number | null }

function point(label: string, x: number, file: string, formats: ('json' | 'text')[] = ['json']): Point {
  const g = grep(file);
  let first: Point | null = null;
  for (const f of formats) {
    const a = analyzeRun(file, f);
    const mb = statSync(file).size / 1e6;
    const cpu = (r: Run): string => (r.cpuSec != null ? r.cpuSec.toFixed(2) : '?');
    console.log(`  ${label.padEnd(28)} ${f.padEnd(4)} ${a.seconds.toFixed(2).padStart(7)} s (cpu ${cpu(a)} s)  ${(mb / a.seconds).toFixed(0).padStart(4)} MB/s  peak RSS ${a.rssMiB?.toFixed(0).padStart(5) ?? '  ?'} MiB  grep ${g.seconds.toFixed(2)} s (cpu ${cpu(g)} s)  ratio ${(a.seconds / g.seconds).toFixed(2)}x` +
      `${a.incidents != null ? `  incidents ${a.incidents}` : ''}  load ${load()}`);
    first ??= { x, label, seconds: a.seconds, grepSec: g.seconds, bytes: statSync(file).size, cpuSec: a.cpuSec, grepCpuSec: g.cpuSec };
  }
  return first!;
}

/**
 * The exponent k of time ∝ size^k over each step of the curve. Node's start-up (≈ 0.3 s) pulls k
 * below 1 on the small steps; the last step, where the work dominates, says whether cost is
 * linear (≈ 1) or worse (2 = quadratic).
 */
function exponent(points: Point[]): string {
  if (points.length < 2) return '';
  const steps = points.slice(1).map((b, i) => {
    const a = points[i];
    return (Math.log(b.seconds / a.seconds) / Math.log(b.x / a.x)).toFixed(2);
  });
  return `  → time ∝ size^k, k per step: ${steps.join(', ')} (1 = linear, 2 = quadratic; start-up lowers the first steps)`;
}

/**
 * The marginal rate between the last two points: (bytes between them) / (time between them), for
 * memtriage and grep. Node's start-up and module loading (≈ 0.2 s of CPU) is in every point; the
 * slope leaves it out, which is what a rate target over a small input can be held to.
 */
function marginal(points: Point[]): string {
  if (points.length < 2) return '';
  const [a, b] = points.slice(-2);
  const mb = (b.bytes - a.bytes) / 1e6;
  const rate = (t0: number | null, t1: number | null): number | null => (t0 == null || t1 == null ? null : mb / Math.max(t1 - t0, 0.01));
  const says = (what: string, mine: number | null, grep: number | null): string => mine == null || grep == null ? '' :
    `${what}: memtriage ${mine.toFixed(0)} MB/s, grep ${grep.toFixed(0)} MB/s (memtriage at ${(mine / grep).toFixed(2)} of grep's rate)`;
  return `  → marginal rate ${a.label} → ${b.label}, ${says('wall', rate(a.seconds, b.seconds), rate(a.grepSec, b.grepSec))}; ` +
    `${says('cpu', rate(a.cpuSec, b.cpuSec), rate(a.grepCpuSec, b.grepCpuSec))} (time resolution 0.01 s)`;
}

async function main(): Promise<void> {
  console.log(`memtriage bench: node ${process.version}, ${quick ? 'quick' : 'full'} run, load ${load()}`);
  if (!only || only === 'size') {
    console.log('\nfile size (kern.log of real filler lines, one real report every 256 KiB ≈ 4,000 per GiB)');
    const pts = [];
    for (const mib of quick ? [16, 64] : [16, 64, 256, 1024]) {
      const b = await buildSized(FIX, join(DATA, `sized-${mib}m.log`), mib * MiB, 256 << 10);
      pts.push(point(`${mib} MiB, ${b.reports} reports`, mib, b.path));
      console.log(`    expected incidents: ${b.expectedIncidents}`);
    }
    console.log(exponent(pts));
    console.log(marginal(pts));
  }
  if (!only || only === 'oom') {
    console.log('\nincident count (copies of a real 85-line memcg OOM report, host-6.18, each 61 s after the last)');
    const pts = [];
    for (const n of quick ? [100, 1000] : [100, 1000, 10_000, 50_000]) {
      pts.push(point(`${n} OOM reports`, n, buildCopies(FIX, 'host-6.18-memcg-v1-oom.dmesg.log', n, join(DATA, `oom-spaced-${n}.log`)), ['json', 'text']));
    }
    console.log(exponent(pts));
  }
  if (!only || only === 'distinct') {
    console.log('\nincident count (the same memcg OOM report re-stamped 30 s apart: distinct kills of a flapping cgroup)');
    const pts = [];
    for (const n of quick ? [100, 1000] : [1000, 10_000, 50_000]) {
      pts.push(point(`${n} distinct OOM kills`, n, buildDistinct(FIX, 'host-6.18-memcg-v1-oom.dmesg.log', n, join(DATA, `oom-distinct-${n}.log`)), ['json', 'text']));
    }
    console.log(exponent(pts));
  }
  if (!only || only === 'folded') {
    console.log('\nincident count (copies of seed 003: one folded line, a whole OOM report with its oom_reaper line, each 61 s after the last)');
    const pts3 = [];
    for (const n of quick ? [100, 1000] : [100, 1000, 10_000, 20_000]) {
      pts3.push(point(`${n} folded reports`, n, buildCopies(FIX, 'seed003-4.9-oom-folded-one-line.log', n, join(DATA, `seed003-spaced-${n}.log`))));
    }
    console.log(exponent(pts3));
  }
  if (!only || only === 'hung') {
    console.log('\nhung tasks (copies of a real hung-task report, qemu 5.10, each 61 s after the last)');
    const pts = [];
    for (const n of quick ? [1000, 10_000] : [1000, 10_000, 100_000]) {
      pts.push(point(`${n} hung-task reports`, n, buildCopies(FIX, 'qemu-5.10-hung-task.dmesg.log', n, join(DATA, `hung-spaced-${n}.log`))));
    }
    console.log(exponent(pts));
  }
  if (!only || only === 'blank') {
    console.log('\npathological: blank lines and lines of spaces');
    const pts = [];
    for (const mb of quick ? [1, 4] : [1, 10, 100]) pts.push(point(`${mb} MB of blank lines`, mb, buildBlank(join(DATA, `blank-${mb}m.log`), mb * 1e6)));
    console.log(exponent(pts));
    console.log(marginal(pts.slice(0, 2)));
    if (pts.length > 2) console.log(marginal(pts));
    point('10 MB of lines of spaces', 10, buildBlank(join(DATA, 'spaces-10m.log'), 10e6, true));
    blankRates(ROOT, DATA, ['-c', '-E', pattern], quick);
  }
  if (!only || only === 'startup') startup(ROOT, join(FIX, 'host-6.18-memcg-v1-oom.dmesg.log'), buildBlank(join(DATA, 'blank-10m.log'), 10e6));
  if (!only || only === 'longline') {
    console.log('\npathological: one long line (copies of seed 003\'s folded report, no newline between)');
    const pts = [];
    for (const mb of quick ? [20] : [50, 200]) pts.push(point(`one ${mb} MB line`, mb, buildLongLine(FIX, join(DATA, `long-${mb}m.log`), mb * 1e6)));
    console.log(exponent(pts));
  }
}

await main();
