/**
 * npm run bench:guard — the guard on real storms, beside Debian's earlyoom --dryrun (root).
 *   1. 5 storms (the lab daemon + a hog at 270 MiB in a 300 MiB cgroup), guard in kill mode:
 *      detection latency (from the daemon's first slow pass), evidence time, action → recovery.
 *   2. False detections: 30 s quiet and 30 s streaming read, guard in dry-run.
 *   3. Overhead: the guard at 10 Hz watching 5 cgroups (+ the machine), two windows of 60 s after
 *      15 s of warm-up (the second once its 60 s sample ring is full): CPU % of one core (utime and
 *      stime from /proc/PID/stat, all threads) and RSS (VmRSS max, VmHWM); beside it, in the same
 *      windows, earlyoom and a bare Node process doing nothing but a 10 Hz setInterval with the
 *      same flags and niceness (the floor any Node daemon at 10 Hz pays: timers, epoll, V8).
 * The guard runs with the node flags and the Nice= of deploy/systemd/memtriage-guard.service (what is shipped).
 * earlyoom runs (-r 1, --dryrun) through parts 1 and 2; its "would kill" lines are counted.
 * Prints a Markdown table and the raw figures as JSON. Load average is shown with each part:
 * the machine is shared, so figures vary with what else runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, getPriority, totalmem } from 'node:os';
import { join } from 'node:path';
import { GuardProcess, Lab, labUnsupported, onset, recovery, sleep, streamFile, unitNice, unitNodeFlags, type Pass } from '../test/guard/lab/harness.js';

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const median = (p: Pass[]) => p.map((x) => x.passMs).sort((a, b) => a - b)[Math.floor(p.length / 2)];
const CLK_TCK = 100;

/** utime and stime of a process (all its threads), clock ticks. */
function cpuTicks(pid: number): { u: number; s: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { u: Number(f[11]), s: Number(f[12]) };
  } catch { return null; }
}
/** CPU % of one core between two cpuTicks readings over wallS seconds: total, user, system. */
function cpuPercent(a: { u: number; s: number }, b: { u: number; s: number }, wallS: number): { total: number; user: number; sys: number } {
  const p = (ticks: number) => Math.round(((ticks / CLK_TCK / wallS) * 100) * 1000) / 1000;
  return { total: p(b.u - a.u + b.s - a.s), user: p(b.u - a.u), sys: p(b.s - a.s) };
}
function kb(pid: number, key: string): number | null {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch { return null; }
}

class EarlyOom {
  readonly proc: ChildProcess;
  out = '';
  constructor() {
    this.proc = spawn('earlyoom', ['--dryrun', '-r', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
    this.proc.stderr!.on('data', (d: Buffer) => (this.out += d.toString()));
  }
  wouldAct(): number {
    return this.out.split('\n').filter((l) => /low memory|sending SIG|would/i.test(l) && !/^sending SIGTERM when|^\s+SIGKILL when/.test(l)).length;
  }
  minAvailPercent(): number | null {
    const v = [...this.out.matchAll(/mem avail: .*?\(\s*([\d.]+)%\)/g)].map((m) => Number(m[1]));
    return v.length ? Math.min(...v) : null;
  }
  stop(): void {
    this.proc.kill('SIGTERM');
  }
}

async function overhead(seconds: number): Promise<Record<string, unknown>> {
  // 5 lab cgroups (300 MiB limit, cgroup2 twin on a hybrid host) with one process each, all watched.
  const labs = Array.from({ length: 5 }, (_, i) => new Lab(`mt-guard-bench-${i}`));
  const guardArgs = ['--watch', '/mt-guard-bench-0', '--watch', '/mt-guard-bench-1', '--watch', '/mt-guard-bench-2', '--watch', '/mt-guard-bench-3',
    '--watch', '/mt-guard-bench-4', '--bundle-dir', '/var/tmp/mt-guard-bench-bundles'];
  try {
    for (const l of labs) {
      await l.start();
      l.run('exec sleep 600');
    }
    await sleep(1000);
    const g = new GuardProcess(guardArgs, unitNodeFlags(), unitNice());
    const e = new EarlyOom();
    const nice = unitNice();
    const bareArgv = [...unitNodeFlags(), '-e', 'setInterval(() => {}, 100)'];
    const bare = nice == null ? spawn(process.execPath, bareArgv, { stdio: 'ignore' }) : spawn('nice', ['-n', String(nice - getPriority()), process.execPath, ...bareArgv], { stdio: 'ignore' });
    await sleep(15_000);
    const pids = { guard: g.proc.pid!, earlyoom: e.proc.pid!, bareNode: bare.pid! };
    const windows: Record<string, unknown>[] = [];
    let rssMax = 0, ersMax = 0;
    for (let w = 0; w < 2; w++) {
      const load0 = loadavg();
      const c0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuTicks(pid)!]));
      const t0 = Date.now();
      while (Date.now() - t0 < seconds * 1000) {
        await sleep(1000);
        rssMax = Math.max(rssMax, kb(pids.guard, 'VmRSS') ?? 0);
        ersMax = Math.max(ersMax, kb(pids.earlyoom, 'VmRSS') ?? 0);
      }
      const wall = (Date.now() - t0) / 1000;
      const cpu = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuPercent(c0[k], cpuTicks(pid)!, wall)]));
      windows.push({ window: w + 1, seconds: wall, load: `${load0} → ${loadavg()}`, cpuPercent: cpu });
      process.stdout.write(`overhead window ${w + 1}: ${JSON.stringify(windows.at(-1))}\n`);
    }
    const hwm = kb(pids.guard, 'VmHWM');
    const bareRssKb = kb(pids.bareNode, 'VmRSS');
    const watched = g.stderr;
    await g.stop();
    e.stop();
    bare.kill('SIGTERM');
    const cpuOf = (k: string) => windows.map((w) => (w.cpuPercent as Record<string, { total: number }>)[k].total);
    return {
      nodeFlags: unitNodeFlags().join(' '), warmupSeconds: 15, windows, guardCpuPercent: Math.max(...cpuOf('guard')), bareNodeCpuPercent: Math.max(...cpuOf('bareNode')),
      earlyoomCpuPercent: Math.max(...cpuOf('earlyoom')), guardRssMaxKb: rssMax, guardHwmKb: hwm, bareNodeRssKb: bareRssKb, earlyoomRssMaxKb: ersMax, watchedLine: watched.length,
    };
  } finally {
    for (const l of labs) await l.cleanup();
    rmSync('/var/tmp/mt-guard-bench-bundles', { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const why = labUnsupported();
  if (why) {
    process.stdout.write(`bench:guard skipped: ${why}\n`);
    return;
  }
  const only = process.argv.slice(2);
  const on = (p: string) => only.length === 0 || only.includes(p);
  const results: Record<string, unknown> = { cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim() };
  const lab = new Lab('mt-guard-bench');
  const eo = new EarlyOom();
  try {
    await lab.start();
    lab.startDaemon();
    await sleep(4000);
    if (on('storms')) {
      const g = new GuardProcess(['--mode', 'kill', '--watch', lab.rel, '--no-host', '--bundle-dir', join(lab.tmp, 'bundles')], unitNodeFlags(), unitNice());
      await sleep(3000);
      const quietMs = median(lab.passes().slice(-20));
      const storms: Record<string, number | string | null>[] = [];
      for (let i = 0; i < 5; i++) {
        const load = loadavg();
        const hogAt = Date.now();
        const nActions = g.of('action').length;
        lab.startHog(270);
        const t0 = Date.now();
        while (g.of('action').length === nActions && Date.now() - t0 < 30_000) await sleep(100);
        const storm = g.of('storm').at(-1);
        const action = g.of('action')[nActions];
        await sleep(4000);
        lab.killComm('mtg-hog'); // in case the guard did not
        const passes = lab.passes();
        const on0 = onset(passes, hogAt);
        const killedAt = action ? Date.parse(action.startedAt as string) : null;
        const back = killedAt ? recovery(passes, killedAt, Math.max(20, 5 * quietMs)) : null;
        storms.push({
          storm: i + 1, load, detectionMs: storm && on0 ? Math.round(Date.parse(storm.time as string) - on0) : null, evidenceMs: (storm?.evidenceMs as number) ?? null,
          evidenceSyncMs: (storm?.evidenceSyncMs as number) ?? null,
          decisionToActionMs: (action?.msFromDecision as number) ?? null, victim: (action?.kills as { comm: string }[] | undefined)?.[0]?.comm ?? null,
          actionToRecoveryMs: back && killedAt ? back - killedAt : null,
        });
        process.stdout.write(`storm ${i + 1}: ${JSON.stringify(storms.at(-1))}\n`);
        await sleep(12_000); // past the cooldown
      }
      await g.stop();
      results.storms = storms;
      results.quietPassMedianMs = quietMs;
    }
    if (on('false')) {
      const g = new GuardProcess(['--watch', lab.rel, '--no-host', '--bundle-dir', join(lab.tmp, 'bundles-dry')]);
      await sleep(1500);
      const loadQ = loadavg();
      await sleep(30_000);
      const quiet = g.of('storm').length;
      lab.startStreaming(streamFile(1024), 30);
      await sleep(30_000);
      results.falseDetections = { quiet, streaming: g.of('storm').length - quiet, load: `${loadQ} → ${loadavg()}` };
      await g.stop();
    }
    results.earlyoom = { wouldActLines: eo.wouldAct(), minMemAvailPercent: eo.minAvailPercent() };
  } finally {
    eo.stop();
    await lab.cleanup();
  }
  if (on('overhead')) {
    const load = loadavg();
    results.overhead = { ...(await overhead(60)), load: `${load} → ${loadavg()}` };
  }
  mkdirSync(join(process.cwd(), 'bench', 'results'), { recursive: true });
  const out = join(process.cwd(), 'bench', 'results', `guard-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '')}.json`);
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  const s = (results.storms ?? []) as Record<string, number | null>[];
  const col = (k: string) => s.map((x) => x[k]).filter((x): x is number => typeof x === 'number');
  const f = (x: number) => (Number.isFinite(x) ? String(Math.round(x)) : 'n/a');
  process.stdout.write(`\n| measure | memtriage guard | earlyoom --dryrun |\n|---|---|---|\n`);
  if (s.length) {
    process.stdout.write(`| detection latency p50 / p95 (${s.length} storms) | ${f(pct(col('detectionMs'), 50))} / ${f(pct(col('detectionMs'), 95))} ms | never acted (min MemAvailable ${(results.earlyoom as { minMemAvailPercent: number }).minMemAvailPercent} %) |\n`);
    process.stdout.write(`| evidence bundle written, p50 / max | ${pct(col('evidenceMs'), 50)} / ${Math.max(...col('evidenceMs'))} ms | — |\n`);
    process.stdout.write(`| action → daemon passes normal, p50 / max | ${f(pct(col('actionToRecoveryMs'), 50))} / ${f(Math.max(...col('actionToRecoveryMs')))} ms | — |\n`);
    process.stdout.write(`| victim | ${s.map((x) => x.victim).join(', ')} | — |\n`);
  }
  const fd = results.falseDetections as { quiet: number; streaming: number } | undefined;
  if (fd) process.stdout.write(`| false detections, quiet 30 s / streaming 30 s | ${fd.quiet} / ${fd.streaming} | ${(results.earlyoom as { wouldActLines: number }).wouldActLines} would-kill lines in all |\n`);
  const o = results.overhead as Record<string, number> | undefined;
  if (o) {
    process.stdout.write(`| CPU, worse of two 60-s windows at the default rates (10 Hz, 5 Hz while calm), 5 cgroups + machine | ${o.guardCpuPercent.toFixed(2)} % of a core (bare Node 10 Hz interval: ${o.bareNodeCpuPercent.toFixed(2)} %) | ${o.earlyoomCpuPercent.toFixed(2)} % (1 Hz report) |\n`);
    process.stdout.write(`| RSS max / high-water | ${(o.guardRssMaxKb / 1024).toFixed(1)} / ${((o.guardHwmKb ?? 0) / 1024).toFixed(1)} MiB (bare Node ${((o.bareNodeRssKb ?? 0) / 1024).toFixed(1)} MiB) | ${(o.earlyoomRssMaxKb / 1024).toFixed(1)} MiB |\n`);
  }
  process.stdout.write(`\nraw figures: ${out}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
