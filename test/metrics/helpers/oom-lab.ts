import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { isRoot } from '../../helpers.js';

export const V1_MEMORY = '/sys/fs/cgroup/memory';

/** Why a real OOM kill cannot be made here, or null when it can. */
export function oomLabUnavailable(): string | null {
  if (!isRoot) return 'needs root: creates a memory cgroup and has a process in it OOM-killed';
  if (!existsSync(`${V1_MEMORY}/cgroup.procs`)) return `needs the cgroup v1 memory hierarchy at ${V1_MEMORY}`;
  return null;
}

/**
 * A real kernel OOM kill: a Node child joins a fresh v1 memory cgroup (mt-fleet-<tag>-<pid>) limited
 * to 64 MiB and touches 256 MiB. Resolves once the child died by SIGKILL, with its cgroup path and
 * the comm it had (read from /proc, not from the log). The cgroup is removed before returning.
 */
export async function realOomKill(tag: string): Promise<{ cgroup: string; comm: string; pid: number }> {
  const name = `mt-fleet-${tag}-${process.pid}`;
  const dir = `${V1_MEMORY}/${name}`;
  mkdirSync(dir);
  try {
    writeFileSync(`${dir}/memory.limit_in_bytes`, String(64 << 20));
    const child = spawn(process.execPath, ['-e', `
      process.stdin.once('data', () => {
        const keep = [];
        for (let i = 0; i < 256; i++) { const b = Buffer.allocUnsafeSlow(1 << 20); for (let j = 0; j < b.length; j += 4096) b[j] = 1; keep.push(b); }
        process.stdout.write('survived\\n');
      });
      process.stdout.write('started\\n');
      setInterval(() => {}, 1 << 30);
    `], { stdio: ['pipe', 'pipe', 'ignore'] });
    await once(child.stdout!, 'data');
    const comm = readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim();
    // The child joins the cgroup before it allocates: v1 charges pages to the cgroup at fault time.
    writeFileSync(`${dir}/cgroup.procs`, String(child.pid));
    child.stdin!.write('go\n');
    const [, signal] = (await once(child, 'exit')) as [number | null, string | null];
    if (signal !== 'SIGKILL') throw new Error(`the hog ended with ${signal ?? 'an exit code'}, not an OOM kill`);
    return { cgroup: `/${name}`, comm, pid: child.pid! };
  } finally {
    // Removable once its last task is gone (reaped above); retried briefly as the kill settles.
    for (let i = 0; i < 50; i++) {
      try { rmdirSync(dir); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
  }
}
