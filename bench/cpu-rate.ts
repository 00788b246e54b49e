/**
 * CPU time of a child (user + system, its own children included), precise enough for the small
 * differences a marginal rate is made of. /usr/bin/time prints 10 ms steps, and 40 MB more of
 * blank lines cost grep ≈ 7 ms; `perf stat -e task-clock` counts in microseconds, so it is used
 * when the machine has it (linux-perf), else time(1)'s user + sys.
 */
import { spawnSync } from 'node:child_process';

export interface CpuRun { ms: number; status: number | null; stderr: string }

const hasPerf = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', '--', 'true'], { encoding: 'utf8' }).status === 0;
export const CPU_CLOCK = hasPerf ? 'perf stat task-clock' : '/usr/bin/time user+sys (10 ms steps)';

export function cpuOnce(argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): CpuRun {
  const wrap = hasPerf ? ['perf', 'stat', '-x,', '-e', 'task-clock', '--'] : ['/usr/bin/time', '-f', 'cpu %U %S'];
  const r = spawnSync(wrap[0], [...wrap.slice(1), ...argv], { cwd, env, encoding: 'utf8', maxBuffer: 256 << 20 });
  const err = r.stderr ?? '';
  let ms = NaN;
  if (hasPerf) {
    // CSV: "123.45,msec,task-clock,…"
    const line = err.split('\n').find((l) => /,task-clock,/.test(l));
    if (line) ms = Number(line.split(',')[0]);
  } else {
    const m = /cpu ([\d.]+) ([\d.]+)/.exec(err);
    if (m) ms = (Number(m[1]) + Number(m[2])) * 1000;
  }
  return { ms, status: r.status, stderr: err };
}

/** The least CPU time of n runs: on a shared machine the other jobs only ever add to it. */
export function bestCpu(argv: string[], cwd: string, n = 5, env?: NodeJS.ProcessEnv): CpuRun {
  const runs = Array.from({ length: n }, () => cpuOnce(argv, cwd, env));
  return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
}

/** Least-squares slope and intercept of y over x. */
export function fit(xs: number[], ys: number[]): { slope: number; intercept: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n, my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

export interface RatePoint { mb: number; mtMs: number; grepMs: number }

/**
 * The marginal rates: MB per second of CPU from the slope of CPU time over size (start-up, the
 * same at every point, is the intercept and drops out), memtriage's as a share of grep's.
 */
export function marginalRates(points: RatePoint[]): { mt: number; grep: number; share: number; mtStartMs: number; grepStartMs: number } {
  const xs = points.map((p) => p.mb);
  const mt = fit(xs, points.map((p) => p.mtMs)), g = fit(xs, points.map((p) => p.grepMs));
  const rate = (msPerMb: number): number => 1000 / Math.max(msPerMb, 1e-6);
  return { mt: rate(mt.slope), grep: rate(g.slope), share: rate(mt.slope) / rate(g.slope), mtStartMs: mt.intercept, grepStartMs: g.intercept };
}
