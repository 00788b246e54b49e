/**
 * The guard's lab: a real memory cgroup (v1 with its cgroup2 twin, or cgroup v2 alone), a fresh
 * PID namespace in it, the C "daemon" (daemon.c) and "hog" (hog.c), a streaming reader, and the
 * real `memtriage guard` CLI watching only that cgroup. Used by lab.test.ts (phases the issue
 * asks for) and bench/guard.ts (5 storms, latency figures, earlyoom beside it).
 * Everything it creates is named mt-guard-* and removed by cleanup().
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, openSync, closeSync, statSync, mkdtempSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../../helpers.js';

export const LAB_SRC = join(REPO_ROOT, 'test', 'guard', 'lab');
export const FILES_DIR = '/var/tmp/mt-guard-files';
const V1 = '/sys/fs/cgroup/memory';
const V2 = existsSync('/sys/fs/cgroup/unified/cgroup.procs') ? '/sys/fs/cgroup/unified' : '/sys/fs/cgroup';

/** Why the lab cannot run here, or null. */
export function labUnsupported(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (memory cgroups, PID namespaces)';
  if (process.platform !== 'linux') return 'needs Linux';
  const v1 = existsSync(`${V1}/memory.limit_in_bytes`);
  const v2mem = existsSync(`${V2}/cgroup.controllers`) && readFileSync(`${V2}/cgroup.controllers`, 'utf8').includes('memory');
  if (!v1 && !v2mem) return 'no memory cgroup controller (neither v1 at /sys/fs/cgroup/memory nor on cgroup2)';
  if (!existsSync('/proc/pressure/memory')) return 'PSI is off (boot with psi=1)';
  for (const tool of ['gcc', 'unshare']) {
    try { execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }); } catch { return `needs ${tool}`; }
  }
  return null;
}

export interface Pass { wallMs: number; passMs: number }

export class Lab {
  readonly tmp: string;
  readonly v1Dir: string | null;
  readonly v2Dir: string | null;
  readonly rel: string;
  private ns: ChildProcess | null = null;
  readonly bins: { daemon: string; hog: string; stream: string };

  constructor(readonly name: string, readonly limitMiB = 300) {
    if (!name.startsWith('mt-guard-')) throw new Error('lab cgroups must be named mt-guard-*');
    this.rel = `/${name}`;
    this.tmp = mkdtempSync(join(tmpdir(), `${name}-`));
    const v1 = existsSync(`${V1}/memory.limit_in_bytes`);
    this.v1Dir = v1 ? `${V1}/${name}` : null;
    this.v2Dir = `${V2}/${name}`;
    this.bins = { daemon: join(this.tmp, 'mtg-daemon'), hog: join(this.tmp, 'mtg-hog'), stream: join(this.tmp, 'mtg-stream') };
  }

  /** Compiles the programs, creates the cgroup(s) and the PID namespace, makes the files. */
  async start(): Promise<void> {
    execFileSync('gcc', ['-O2', '-o', this.bins.daemon, join(LAB_SRC, 'daemon.c')]);
    execFileSync('gcc', ['-O2', '-o', this.bins.hog, join(LAB_SRC, 'hog.c')]);
    execFileSync('gcc', ['-O2', '-o', this.bins.stream, join(LAB_SRC, 'stream.c')]);
    mkdirSync(FILES_DIR, { recursive: true });
    const limit = String(this.limitMiB << 20);
    if (this.v1Dir) {
      mkdirSync(this.v1Dir, { recursive: true });
      writeFileSync(`${this.v1Dir}/memory.limit_in_bytes`, limit);
      mkdirSync(this.v2Dir!, { recursive: true }); // the cgroup2 twin: per-cgroup memory.pressure
    } else {
      mkdirSync(this.v2Dir!, { recursive: true });
      writeFileSync(`${this.v2Dir}/memory.max`, limit);
      if (existsSync(`${this.v2Dir}/memory.swap.max`)) writeFileSync(`${this.v2Dir}/memory.swap.max`, '0');
    }
    const join1 = [this.v1Dir, this.v2Dir].filter(Boolean).map((d) => `echo $$ > ${d}/cgroup.procs`).join('; ');
    // A shell in a fresh PID namespace that runs each line it is sent in the background.
    this.ns = spawn('bash', ['-c', `${join1}; exec unshare --pid --fork --kill-child --mount-proc bash -c 'while read -r line; do eval "$line" & done'`], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    await sleep(300);
  }

  /** Runs a shell command inside the namespace and cgroup, in the background. */
  run(cmd: string): void {
    this.ns?.stdin?.write(`${cmd}\n`);
  }

  startDaemon(files = 15, mibEach = 10, intervalMs = 100): void {
    this.run(`exec ${this.bins.daemon} ${FILES_DIR} ${files} ${mibEach} ${intervalMs} > ${this.tmp}/daemon.log`);
  }

  startHog(plateauMiB: number, stepMiB = 10, stepMs = 50, tag = 'hog'): void {
    this.run(`exec ${this.bins.hog} ${plateauMiB} ${stepMiB} ${stepMs} > ${this.tmp}/${tag}.log`);
  }

  /**
   * The benign streaming case: one sequential pass over a file larger than the cgroup's limit at
   * rateMiB/s (every page read once: the kernel's use-once pages, reclaimed before the daemon's).
   */
  startStreaming(file: string, seconds: number, rateMiB = 32): void {
    this.run(`exec ${this.bins.stream} ${file} ${rateMiB} ${seconds} > ${this.tmp}/stream.log`);
  }

  /** Re-reads a file larger than the limit in a loop at full speed: this one does thrash the daemon (README). */
  startStreamingLoop(file: string, seconds: number): void {
    this.run(`exec timeout ${seconds} sh -c 'while :; do dd if=${file} of=/dev/null bs=1M 2>/dev/null; done'`);
  }

  passes(): Pass[] {
    const text = existsSync(`${this.tmp}/daemon.log`) ? readFileSync(`${this.tmp}/daemon.log`, 'utf8') : '';
    const out: Pass[] = [];
    for (const line of text.split('\n')) {
      const m = /^pass (\d+) (\d+)$/.exec(line);
      if (m) out.push({ wallMs: Number(m[1]), passMs: Number(m[2]) / 1000 });
    }
    return out;
  }

  log(tag: string): string {
    return existsSync(`${this.tmp}/${tag}.log`) ? readFileSync(`${this.tmp}/${tag}.log`, 'utf8') : '';
  }

  /** Host pids in the cgroup whose comm is `comm`. */
  pidsOf(comm: string): number[] {
    const dir = this.v1Dir ?? this.v2Dir!;
    let procs = '';
    try { procs = readFileSync(`${dir}/cgroup.procs`, 'utf8'); } catch { return []; }
    return procs.split('\n').filter(Boolean).map(Number).filter((pid) => {
      try { return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm; } catch { return false; }
    });
  }

  killComm(comm: string): void {
    for (const pid of this.pidsOf(comm)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }

  oomKills(): number | null {
    try {
      const text = this.v1Dir ? readFileSync(`${this.v1Dir}/memory.oom_control`, 'utf8') : readFileSync(`${this.v2Dir}/memory.events`, 'utf8');
      const m = /^oom_kill (\d+)/m.exec(text);
      return m ? Number(m[1]) : null;
    } catch { return null; }
  }

  /** Kills the namespace (its init takes every process with it) and removes the cgroups. */
  async cleanup(): Promise<void> {
    if (this.ns && this.ns.exitCode == null) this.ns.kill('SIGKILL');
    for (const dir of [this.v1Dir, this.v2Dir]) {
      if (!dir || !existsSync(dir)) continue;
      for (let i = 0; i < 50; i++) {
        let pids: string[] = [];
        try { pids = readFileSync(`${dir}/cgroup.procs`, 'utf8').split('\n').filter(Boolean); } catch { break; }
        if (pids.length === 0) break;
        for (const p of pids) try { process.kill(Number(p), 'SIGKILL'); } catch { /* gone */ }
        await sleep(100);
      }
      try { rmSync(dir, { recursive: false, force: true }); } catch { /* retried below */ }
      try { execFileSync('rmdir', [dir], { stdio: 'ignore' }); } catch { /* removed or busy */ }
    }
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** A file of sizeMiB for the streaming phase, made once (dd from /dev/zero, real blocks on ext4). */
export function streamFile(sizeMiB = 1024): string {
  const f = join(FILES_DIR, `stream-${sizeMiB}m.bin`);
  mkdirSync(FILES_DIR, { recursive: true });
  if (!existsSync(f) || statSync(f).size !== sizeMiB << 20) {
    const fd = openSync(f, 'w');
    closeSync(fd);
    execFileSync('dd', ['if=/dev/zero', `of=${f}`, 'bs=1M', `count=${sizeMiB}`, 'conv=fsync'], { stdio: 'ignore' });
  }
  return f;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The real CLI as a child process; its stdout JSON lines collected. */
export class GuardProcess {
  readonly events: Record<string, unknown>[] = [];
  readonly proc: ChildProcess;
  stderr = '';
  /**
   * nice: the niceness to run at (the systemd unit's Nice=, absolute), via nice(1), which execs node
   * (same pid). nice(1) adds to the caller's niceness, so a bench run under `nice -n 10` still
   * gives the guard the unit's -10, not 0.
   */
  constructor(args: string[], nodeFlags: string[] = [], nice: number | null = null) {
    const argv = [...nodeFlags, resolve(REPO_ROOT, 'bin', 'memtriage.js'), 'guard', ...args];
    this.proc = nice == null ? spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('nice', ['-n', String(nice - getPriority()), process.execPath, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    this.proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try { this.events.push({ ...(JSON.parse(line) as Record<string, unknown>), receivedMs: Date.now() }); } catch { this.events.push({ event: 'unparsable', line }); }
      }
    });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
  }
  of(kind: string): Record<string, unknown>[] {
    return this.events.filter((e) => e.event === kind);
  }
  async waitFor(kind: string, timeoutMs: number): Promise<Record<string, unknown> | null> {
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      const e = this.of(kind)[0];
      if (e) return e;
      await sleep(50);
    }
    return null;
  }
  async stop(): Promise<number | null> {
    if (this.proc.exitCode != null) return this.proc.exitCode;
    const done = new Promise<number | null>((r) => this.proc.once('exit', (c) => r(c)));
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 10000);
    const code = await done;
    clearTimeout(t);
    return code;
  }
}

/**
 * Storm onset: when the first daemon pass after `afterMs` that took over `slowMs` started (passes
 * are logged at their end, so its start is wallMs - passMs: the earliest the storm can be said to be on).
 */
export function onset(passes: Pass[], afterMs: number, slowMs = 50): number | null {
  const p = passes.find((x) => x.wallMs >= afterMs && x.passMs > slowMs);
  return p ? p.wallMs - p.passMs : null;
}

/** Nice= of deploy/systemd/memtriage-guard.service, or null. */
export function unitNice(): number | null {
  const unit = readFileSync(join(REPO_ROOT, 'deploy', 'systemd', 'memtriage-guard.service'), 'utf8');
  const m = /^Nice=(-?\d+)$/m.exec(unit);
  return m ? Number(m[1]) : null;
}

/** The node flags of deploy/systemd/memtriage-guard.service's ExecStart (so the bench measures what is shipped). */
export function unitNodeFlags(): string[] {
  const unit = readFileSync(join(REPO_ROOT, 'deploy', 'systemd', 'memtriage-guard.service'), 'utf8');
  const exec = /^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '';
  return exec.split(/\s+/).slice(1).filter((t, i, all) => t.startsWith('--') && all.slice(0, i).every((x) => !x.endsWith('memtriage.js')));
}

/**
 * Recovery: the end of the first pass after `afterMs` from which on `run` passes in a row were
 * normal (≤ normalMs). Pass records are stamped at their end.
 */
export function recovery(passes: Pass[], afterMs: number, normalMs: number, run = 5): number | null {
  const after = passes.filter((p) => p.wallMs >= afterMs);
  for (let i = 0; i + run <= after.length; i++) if (after.slice(i, i + run).every((p) => p.passMs <= normalMs)) return after[i].wallMs;
  return null;
}
