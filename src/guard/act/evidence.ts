import { readdir, rm } from 'node:fs/promises';
import { hostname, machine, release } from 'node:os';
import { join } from 'node:path';
import type { StormDecision } from '../detector.js';
import type { WatchedCgroup } from '../discover.js';
import type { CounterFiles } from '../files.js';
// The schema string only: importing it from read/bundle.js would load tar at start.
const BUNDLE_SCHEMA = 'memtriage/bundle@1';
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

let tarModule: Promise<typeof import('./memory-tar.js')> | null = null;
/**
 * Loads the tar encoder. Not at start — a few MiB of RSS a quiet guard never needs — but as soon
 * as a cgroup turns suspect, seconds before a decision, so that loading modules (≈ 50 ms under
 * load) is not paid between the decision and the action.
 */
export function preloadEvidence(): Promise<unknown> {
  tarModule ??= import('./memory-tar.js');
  return tarModule;
}

/**
 * The evidence, written before any action: the series the decision was taken on (the deciding
 * cgroup and the host, last historyMs), the decision with its numbers and the victim ranking, and
 * the cheap half of what `collect` takes (host /proc files and the cgroup's own files, read with
 * the same kept-open pread as the samples). One in-memory .tar.gz, atomic (memory-tar.ts).
 */
export async function writeEvidence(dir: string, files: CounterFiles, watched: WatchedCgroup | null, record: DecisionRecord, samples: GuardSample[]): Promise<{ path: string; bytes: number; syncMs: number }> {
  const { writeTarGz } = await preloadEvidence() as typeof import('./memory-tar.js');
  const out = join(dir, bundleName(record.decision.wallMs, record.decision.cgroup));
  const keep = new Set([record.decision.cgroup, '/']);
  const series = samples.map((s) => ({ ...s, cgroups: s.cgroups.filter((c) => keep.has(c.cgroup)) }));
  const members: { name: string; text: string }[] = [
    { name: 'guard/decision.json', text: JSON.stringify(record, null, 2) + '\n' },
    { name: 'guard/samples.jsonl', text: toJsonl(series) },
  ];
  const unreadable: { path: string; code: string; message: string }[] = [];
  // A cgroup file missing is normal (v1 and cgroup2 have different files); a host file is not.
  const copy = (path: string, required: boolean) => {
    const text = files.read(path);
    if (text != null) members.push({ name: path.replace(/^\/+/, ''), text });
    else if (required) unreadable.push({ path, code: 'EIO', message: 'could not be read' });
  };
  for (const f of HOST_FILES) copy(f, true);
  for (const d of [watched?.v1Dir, watched?.v2Dir]) if (d) for (const f of CGROUP_FILES) copy(`${d}/${f}`, false);
  const manifest = {
    schema: BUNDLE_SCHEMA, tool: 'memtriage guard', createdAt: new Date(record.decision.wallMs).toISOString(), host: hostname(),
    kernel: release(), arch: machine(), uid: process.getuid?.() ?? null,
    members: members.map((m) => ({ name: m.name, bytes: Buffer.byteLength(m.text) })), unreadable,
  };
  const w = writeTarGz(out, [{ name: 'manifest.json', text: JSON.stringify(manifest, null, 2) + '\n' }, ...members]);
  return { path: out, ...w };
}

/** Keeps the newest `keep` guard bundles in dir (a storm a minute for a week must not fill the disk). */
export async function pruneBundles(dir: string, keep: number): Promise<void> {
  const names = ((await readdir(dir).catch(() => [])) as string[]).filter((n) => /^memtriage-guard-.*\.tar\.gz$/.test(n)).sort();
  for (const n of names.slice(0, Math.max(0, names.length - keep))) await rm(join(dir, n), { force: true });
}
