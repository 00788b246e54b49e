import { spawn } from 'node:child_process';

export interface HookResult {
  command: string;
  exitCode: number | null;
  timedOut: boolean;
  ms: number;
  /** Last 2 KiB of its output, for the log. */
  output: string;
}

/**
 * Runs a hook with `sh -c`, the decision in its environment (MEMTRIAGE_EVENT, MEMTRIAGE_CGROUP,
 * MEMTRIAGE_BUNDLE, MEMTRIAGE_DECISION as JSON, MEMTRIAGE_VICTIM_PID), killed after timeoutMs
 * (its whole process group). Never throws; the guard goes on whatever the hook does.
 */
export function runHook(command: string, env: Record<string, string>, timeoutMs: number): Promise<HookResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    let child;
    try {
      child = spawn('/bin/sh', ['-c', command], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    } catch (e) {
      resolve({ command, exitCode: null, timedOut: false, ms: 0, output: (e as Error).message });
      return;
    }
    const keep = (b: Buffer) => (output = (output + b.toString('utf8')).slice(-2048));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* exited meanwhile */ }
    }, timeoutMs);
    child.on('error', (e) => keep(Buffer.from(String(e.message))));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ command, exitCode: code, timedOut, ms: Date.now() - t0, output });
    });
  });
}
