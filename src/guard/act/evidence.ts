import { readdir, rm } from 'node:fs/promises';
import { hostname, machine, release } from 'node:os';
import { join } from 'node:path';
import type { StormDecision } from '../detector.js';
import type { WatchedCgroup } from '../discover.js';
import type { CounterFiles } from '../files.js';
import type { VictimChoice } from '../policy.js';
import type { GuardSample } from '../sample.js';
import { toJsonl } from '../series.js';

/** guard/decision.json in a guard bundle (read back by src/parse/sections/guard-decision.ts). */
export const GUARD_DECISION_SCHEMA = 'memtriage/guard-decision@1';

export interface DecisionRecord {
  schema: typeof GUARD_DECISION_SCHEMA;
  mode: 'dry-run' | 'warn' | 'kill';
  /** What the guard is about to do: "none" (dry-run), "hook", "kill", "kill_cgroup". */
  plannedAction: string;
  decision: StormDecision;
  choice: VictimChoice | null;
}

// The /proc files of `collect` that cost microseconds to read (no slabinfo, no per-process walk).
const HOST_FILES = ['/proc/meminfo', '/proc/vmstat', '/proc/pressure/memory', '/proc/pressure/io', '/proc/pressure/cpu', '/proc/loadavg',
  '/proc/uptime', '/proc/buddyinfo', '/proc/swaps', '/proc/sys/vm/min_free_kbytes', '/proc/sys/vm/watermark_scale_factor'];
const CGROUP_FILES = ['memory.stat', 'memory.usage_in_bytes', 'memory.limit_in_bytes', 'memory.max_usage_in_bytes', 'memory.failcnt',
  'memory.oom_control', 'memory.current', 'memory.max', 'memory.high', 'memory.events', 'memory.pressure', 'io.pressure', 'cgroup.procs'];

const p2 = (n: number) => String(n).padStart(2, '0');
export function bundleName(wallMs: number, cgroup: string): string {
  const d = new Date(wallMs);
  const stamp = `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}-${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}`;
  const slug = cgroup === '/' ? 'host' : cgroup.replace(/^\/+/, '').replace(/[^\w.-]+/g, '_').slice(-60);
  return `memtriage-guard-${hostname()}-${stamp}-${slug}.tar.gz`;
}

/**
 * The evidence, written before any action: the series the decision was taken on (the deciding
 * cgroup and the host, last historyMs), the decision with its numbers and the victim ranking, and
 * the cheap half of what `collect` takes (host /proc files and the cgroup's own files, read with
 * the same kept-open pread as the samples). Atomic (temp + fsync + rename, see BundleWriter).
 */
export async function writeEvidence(dir: string, files: CounterFiles, watched: WatchedCgroup | null, record: DecisionRecord, samples: GuardSample[]): Promise<string> {
  // Loaded on the first storm, not at start: tar and the bundle code are a few MiB of the guard's RSS.
  const [{ BundleWriter }, { BUNDLE_SCHEMA }] = await Promise.all([import('../../live/bundle-writer.js'), import('../../read/bundle.js')]);
  const memberName = (path: string) => path.replace(/^\/+/, '');
  const out = join(dir, bundleName(record.decision.wallMs, record.decision.cgroup));
  const w = new BundleWriter(out);
  await w.start();
  try {
    const keep = new Set([record.decision.cgroup, '/']);
    const series = samples.map((s) => ({ ...s, cgroups: s.cgroups.filter((c) => keep.has(c.cgroup)) }));
    await w.add('guard/decision.json', JSON.stringify(record, null, 2) + '\n');
    await w.add('guard/samples.jsonl', toJsonl(series));
    const unreadable: { path: string; code: string; message: string }[] = [];
    // A cgroup file missing is normal (v1 and cgroup2 have different files); a host file is not.
    const copy = async (path: string, required: boolean) => {
      const text = files.read(path);
      if (text != null) await w.add(memberName(path), text);
      else if (required) unreadable.push({ path, code: 'EIO', message: 'could not be read' });
    };
    for (const f of HOST_FILES) await copy(f, true);
    for (const d of [watched?.v1Dir, watched?.v2Dir]) if (d) for (const f of CGROUP_FILES) await copy(`${d}/${f}`, false);
    await w.finish(JSON.stringify({
      schema: BUNDLE_SCHEMA, tool: 'memtriage guard', createdAt: new Date(record.decision.wallMs).toISOString(), host: hostname(),
      kernel: release(), arch: machine(), uid: process.getuid?.() ?? null, members: w.members(), unreadable,
    }, null, 2) + '\n');
    return out;
  } catch (e) {
    await w.abort();
    throw e;
  }
}

/** Keeps the newest `keep` guard bundles in dir (a storm a minute for a week must not fill the disk). */
export async function pruneBundles(dir: string, keep: number): Promise<void> {
  const names = ((await readdir(dir).catch(() => [])) as string[]).filter((n) => /^memtriage-guard-.*\.tar\.gz$/.test(n)).sort();
  for (const n of names.slice(0, Math.max(0, names.length - keep))) await rm(join(dir, n), { force: true });
}
