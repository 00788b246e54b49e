/**
 * Two curves measured in CPU time (user + system, bench/cpu-rate.ts), each against its comparison
 * in the same run, interleaved so that both see the same load:
 *  - blank: the marginal rate of blank lines and of lines of spaces (issue 10: "10 MB of blank
 *    lines ≤ 2× grep's rate"), the slope of CPU time over sizes that all run in one node;
 *  - startup: what each command costs before it does any work, against a bare `node -e 0`.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBlank } from './corpus.js';
import { bestCpu, CPU_CLOCK, type CpuRun, marginalRates, type RatePoint } from './cpu-rate.js';

const REPS = 9;
/** bin/memtriage.js starts a second node (heap flags) from 64 MiB of input: the sizes stay below. */
const ONE_NODE_MB = [10, 20, 30, 40, 50, 60];
/**
 * grep's rate on blank lines depends on the pattern: with the bench's 30-odd markers its matcher
 * runs once a line (≈ 0.5 GB/s); with one fixed string it is nearly its read(2) (`-F oom-kill`
 * ≈ 3.6 GB/s here, faster than `-F 'Out of memory'` at ≈ 2 GB/s). Both are printed; the target
 * is held to the faster.
 */
const LITERAL = 'oom-kill';

const ms = (r: CpuRun): string => r.ms.toFixed(1).padStart(6);

export function blankRates(root: string, data: string, grepArgs: string[], quick: boolean): void {
  const out = join(tmpdir(), `memtriage-rate-${process.pid}.json`);
  const mt = (file: string) => bestCpu([process.execPath, 'bin/memtriage.js', 'analyze', file, '-f', 'json', '-o', out], root, REPS);
  const grepWith = (args: string[]) => (file: string) => bestCpu(['grep', ...args, file], root, REPS, { ...process.env, LC_ALL: 'C' });
  const grep = grepWith(grepArgs), grepLit = grepWith(['-c', '-F', LITERAL]);
  const one = join(data, 'blank-one-line.log');
  if (!existsSync(one)) writeFileSync(one, '\n');
  const start = { version: bestCpu([process.execPath, 'bin/memtriage.js', '--version'], root, REPS), one: mt(one), grepOne: grep(one), litOne: grepLit(one) };
  console.log(`\n  marginal rate in CPU time (${CPU_CLOCK}, best of ${REPS}; sizes below 64 MiB, so one node each):`);
  console.log(`    start-up in this run: memtriage --version ${ms(start.version)} ms, analyze of a one-line file ${ms(start.one)} ms; grep on it ${ms(start.grepOne)} ms`);
  for (const spaces of [false, true]) {
    const what = spaces ? 'lines of 8 spaces' : 'blank lines';
    const pts: RatePoint[] = [], lit: RatePoint[] = [];
    for (const mb of quick ? [4, 16] : ONE_NODE_MB) {
      const file = buildBlank(join(data, `${spaces ? 'spaces' : 'blank'}-${mb}m.log`), mb * 1e6, spaces);
      const size = statSync(file).size / 1e6;
      const [a, g, l] = [mt(file), grep(file), grepLit(file)];
      pts.push({ mb: size, mtMs: a.ms, grepMs: g.ms });
      lit.push({ mb: size, mtMs: a.ms, grepMs: l.ms });
      // Over the one-line file's CPU time (the start-up in this run): a few ms on a start-up that
      // itself varies by as much, so the rate is the slope below, not these.
      const work = (t: number, t0: number): string => `${(t - t0).toFixed(1)} ms over start-up`;
      console.log(`    ${`${size.toFixed(1)} MB of ${what}`.padEnd(30)} memtriage ${ms(a)} ms (${work(a.ms, start.one.ms)})  grep (markers) ${ms(g)} ms (${work(g.ms, start.grepOne.ms)})  grep -F ${LITERAL} ${ms(l)} ms (${work(l.ms, start.litOne.ms)})`);
    }
    for (const [grepName, p] of [['markers', pts], [`-F ${LITERAL}`, lit]] as const) {
      const r = marginalRates(p);
      if (!(r.mt < 1e5 && r.grep < 1e5)) {
        console.log(`    → ${what} vs grep ${grepName}: cannot tell, CPU time did not grow with size (the points scatter more than the work; a quieter machine or the full run's sizes)`);
        continue;
      }
      console.log(`    → ${what}, slope over ${p[0].mb.toFixed(0)}–${p.at(-1)!.mb.toFixed(0)} MB: memtriage ${r.mt.toFixed(0)} MB/s of CPU, grep ${grepName} ${r.grep.toFixed(0)} MB/s: ` +
        `memtriage at ${r.share.toFixed(2)} of grep's rate (target ≥ 0.50: ${r.share >= 0.5 ? 'met' : 'not met'}); intercepts ${r.mtStartMs.toFixed(0)} / ${r.grepStartMs.toFixed(1)} ms`);
    }
  }
}

/** What a command costs before its work: the start-up curve. */
export function startup(root: string, fixture: string, blank10: string): void {
  const node = (argv: string[]) => bestCpu([process.execPath, ...argv], root, REPS);
  const cli = (argv: string[]) => node(['bin/memtriage.js', ...argv]);
  const out = join(tmpdir(), `memtriage-startup-${process.pid}.txt`);
  console.log(`\nstart-up (${CPU_CLOCK}, best of ${REPS}; bare node is the comparison)`);
  const base = node(['-e', '0']);
  const rows: [string, CpuRun][] = [
    ['node -e 0', base],
    ['memtriage --version', cli(['--version'])],
    ['memtriage --help', cli(['--help'])],
    ['memtriage analyze --help', cli(['analyze', '--help'])],
    [`analyze ${fixture.split('/').pop()}`, cli(['analyze', fixture, '-o', out])],
    [`analyze ${blank10.split('/').pop()}`, cli(['analyze', blank10, '-f', 'json', '-o', out])],
  ];
  for (const [label, r] of rows) {
    console.log(`  ${label.padEnd(60)} ${ms(r)} ms CPU  (${(r.ms - base.ms).toFixed(1).padStart(6)} ms over bare node)${r.status !== 0 && r.status !== 3 ? `  ! exit ${r.status}` : ''}`);
  }
}
