import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_BYTES, realStatfs, type FsUsage, type ProcReader, type ReadFailure } from './reader.js';

export interface RealReaderOptions {
  /** Per-read limit; a read still blocked after this is abandoned and recorded as TIMEOUT. */
  timeoutMs?: number;
  /** Helper processes reading in parallel. */
  helpers?: number;
  /** After this many stuck reads every further read fails fast: the machine is too sick to wait on. */
  maxStuck?: number;
}

interface Job {
  op: 'readFile' | 'readFiles' | 'readdir' | 'readlink';
  path: string;
  paths?: string[];
  maxBytes: number;
  resolve: (v: unknown) => void;
}

interface Helper {
  child: ChildProcess;
  busy: boolean;
}

const HELPER = fileURLToPath(new URL('./read-helper.js', import.meta.url));

/** "/proc/1234/smaps_rollup" → "1234": the unit that gets stuck together (one mm lock). */
function pidOf(path: string): string | null {
  return /^\/proc\/(\d+)\//.exec(path)?.[1] ?? null;
}

/**
 * The ProcReader of this machine. Reads run in helper child processes because a blocked read(2)
 * cannot be cancelled from inside Node (AbortSignal only stops between reads, and a stuck
 * thread-pool thread would stall every later fs call). On a timeout the helper is SIGKILLed and
 * replaced, and the other files of that pid are skipped: they wait on the same mm lock.
 */
export class RealReader implements ProcReader {
  private readonly failed: ReadFailure[] = [];
  private readonly queue: Job[] = [];
  private readonly pool: Helper[] = [];
  private readonly stuckPids = new Set<string>();
  private stuck = 0;
  private nextId = 1;
  private closed = false;
  readonly timeoutMs: number;
  private readonly helpers: number;
  private readonly maxStuck: number;

  constructor(opts: RealReaderOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 3000;
    this.helpers = opts.helpers ?? 2;
    this.maxStuck = opts.maxStuck ?? 8;
  }

  readFile(path: string, maxBytes = DEFAULT_MAX_BYTES): Promise<string | null> {
    return this.submit('readFile', path, maxBytes) as Promise<string | null>;
  }
  async readFiles(paths: string[], maxBytes = DEFAULT_MAX_BYTES): Promise<(string | null)[]> {
    type One = { ok: boolean; value?: string; code?: string; message?: string };
    const res = (await this.submit('readFiles', paths.join(' '), maxBytes, paths)) as One[] | null;
    if (res == null) return paths.map(() => null);
    return res.map((r, i) => (r.ok ? r.value! : this.fail(paths[i], r.code ?? 'EIO', r.message ?? 'read failed')));
  }
  readdir(path: string): Promise<string[] | null> {
    return this.submit('readdir', path, 0) as Promise<string[] | null>;
  }
  readlink(path: string): Promise<string | null> {
    return this.submit('readlink', path, 0) as Promise<string | null>;
  }
  statfs(path: string): Promise<FsUsage | null> {
    return realStatfs(path);
  }
  failures(): ReadFailure[] {
    return [...this.failed];
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const h of this.pool.splice(0)) this.retire(h, false);
  }

  private submit(op: Job['op'], path: string, maxBytes: number, paths?: string[]): Promise<unknown> {
    const pid = pidOf(path);
    if (this.closed) return Promise.resolve(this.fail(path, 'SKIPPED', 'reader closed'));
    if (pid && this.stuckPids.has(pid)) {
      return Promise.resolve(this.fail(path, 'SKIPPED', `an earlier read of /proc/${pid} timed out; process ${pid} is probably stuck on its mm lock`));
    }
    if (this.stuck >= this.maxStuck) {
      return Promise.resolve(this.fail(path, 'SKIPPED', `${this.stuck} reads already timed out; not waiting on more`));
    }
    return new Promise((resolve) => {
      this.queue.push({ op, path, paths, maxBytes, resolve });
      this.pump();
    });
  }

  private fail(path: string, code: string, message: string): null {
    this.failed.push({ path, code, message });
    return null;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let h = this.pool.find((x) => !x.busy);
      if (!h && this.pool.length < this.helpers) h = this.spawn();
      if (!h) return;
      this.run(h, this.queue.shift()!);
    }
  }

  private spawn(): Helper {
    // execArgv [] so a parent started with --test or --inspect does not pass that on.
    const child = fork(HELPER, [], { execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'json' });
    const h: Helper = { child, busy: false };
    this.idle(h);
    this.pool.push(h);
    return h;
  }

  /** An idle helper must not keep the CLI alive; a busy one must (its answer is awaited). */
  private idle(h: Helper): void {
    h.busy = false;
    h.child.unref();
    (h.child.channel as { unref?: () => void } | undefined)?.unref?.();
  }

  private retire(h: Helper, kill: boolean): void {
    const i = this.pool.indexOf(h);
    if (i >= 0) this.pool.splice(i, 1);
    h.child.removeAllListeners('message');
    if (kill) h.child.kill('SIGKILL');
    else if (h.child.connected) h.child.disconnect();
    h.child.unref();
  }

  private run(h: Helper, job: Job): void {
    h.busy = true;
    h.child.ref();
    (h.child.channel as { ref?: () => void } | undefined)?.ref?.();
    const id = this.nextId++;
    let done = false;
    const finish = (value: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      h.child.off('message', onMessage);
      h.child.off('exit', onExit);
      job.resolve(value);
      this.pump();
    };
    const onMessage = (m: { id: number; ok: boolean; value?: unknown; code?: string; message?: string }) => {
      if (m.id !== id) return;
      this.idle(h);
      finish(m.ok ? m.value : this.fail(job.path, m.code ?? 'EIO', m.message ?? 'read failed'));
    };
    const onExit = () => {
      this.retire(h, false);
      finish(this.fail(job.path, 'EIO', 'reader helper exited'));
    };
    const timer = setTimeout(() => {
      this.stuck++;
      const pid = pidOf(job.path);
      if (pid) this.stuckPids.add(pid);
      // SIGKILL: if the read sleeps killably (mmap_read_lock_killable) the helper dies now; if not,
      // it lingers in D state, detached from us, and we carry on with a fresh helper.
      this.retire(h, true);
      finish(this.fail(job.path, 'TIMEOUT', `no answer after ${this.timeoutMs} ms (the kernel blocked the read)`));
    }, this.timeoutMs);
    h.child.on('message', onMessage);
    h.child.once('exit', onExit);
    h.child.send({ id, op: job.op, path: job.path, paths: job.paths, maxBytes: job.maxBytes });
  }
}
