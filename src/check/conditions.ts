/**
 * `memtriage check`: one quick pass over this machine, judged by conditions a monitor understands.
 * Pure: the inputs are read elsewhere (src/check/gather.ts); this decides and words the one line.
 * Exit statuses are those of node-problem-detector custom plugins and Nagios-style checkers:
 * 0 ok, 1 problem, 2 unknown (could not look). A condition that could not look is never "ok".
 */
export const CONDITIONS = ['MemoryThrashing', 'UnaccountedMemory', 'OOMKilling'] as const;
export type ConditionName = (typeof CONDITIONS)[number];

export const STATUS = { ok: 0, problem: 1, unknown: 2 } as const;
export type Status = keyof typeof STATUS;

/**
 * Nagios and its kin (Icinga, Sensu, Zabbix' checks) read 1 as WARNING and 2 as CRITICAL, and
 * want 3 for UNKNOWN: under --nagios a problem is CRITICAL and "could not look" is UNKNOWN.
 */
export const NAGIOS_STATUS = { ok: 0, problem: 2, unknown: 3 } as const;
const WORDS = { npd: { ok: 'OK', problem: 'PROBLEM', unknown: 'UNKNOWN' }, nagios: { ok: 'OK', problem: 'CRITICAL', unknown: 'UNKNOWN' } };

export interface Thresholds {
  /** MemoryThrashing when the share of the last 10 s in which some task stalled on memory is at least this (0..1). */
  pressureSome: number;
  /** … or the share in which every non-idle task stalled is at least this (0..1). */
  pressureFull: number;
  /** UnaccountedMemory when memory outside every counter is at least this share of MemTotal (0..1). */
  unaccountedRatio: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { pressureSome: 0.3, pressureFull: 0.1, unaccountedRatio: 0.1 };

/** What a failed read looks like: the file and why, for the one line. */
export interface CouldNotLook { error: string }

export interface CheckInputs {
  /** /proc/pressure/memory avg10 values as ratios 0..1 (the file prints percent). */
  pressure?: { some10s: number; full10s: number | null } | CouldNotLook;
  /** Holders from the accounting; unaccounted null when a counter it needs is missing. */
  memory?: { totalBytes: number; unaccountedBytes: number | null; missing: string[] } | CouldNotLook;
  kernelLog?: {
    /** OOM kills found, with their kernel timestamp (null when the log printed none). */
    kills: { uptimeSec: number | null; cgroup: string; program: string }[];
    /** The log holds every message from this many seconds after boot on (0: since boot); null when it cannot be told. */
    coversFromSec: number | null;
    /** Where it came from ("/dev/kmsg", a file). */
    source: string;
  } | CouldNotLook;
  /** Kills at or after this many seconds since boot count; 0 = since boot. */
  sinceSec: number;
  /** How --since was given, for the message ("since boot", "in the last 10m"). */
  sinceText: string;
}

export interface ConditionResult { name: ConditionName; status: Status; message: string }

const pct = (r: number) => `${(r * 100).toFixed(1)} %`;
const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;
const failed = (x: object): x is CouldNotLook => 'error' in x;

export function evaluate(name: ConditionName, x: CheckInputs, t: Thresholds): ConditionResult {
  const r = (status: Status, message: string): ConditionResult => ({ name, status, message });
  switch (name) {
    case 'MemoryThrashing': {
      const p = x.pressure;
      if (!p) return r('unknown', 'memory pressure not read');
      if (failed(p)) return r('unknown', `cannot read memory pressure: ${p.error}`);
      const full = p.full10s == null ? '' : `, full ${pct(p.full10s)}`;
      const over = p.some10s >= t.pressureSome || (p.full10s != null && p.full10s >= t.pressureFull);
      const msg = `memory pressure over 10 s: some ${pct(p.some10s)}${full} (limits ${pct(t.pressureSome)}/${pct(t.pressureFull)})`;
      return r(over ? 'problem' : 'ok', msg);
    }
    case 'UnaccountedMemory': {
      const m = x.memory;
      if (!m) return r('unknown', 'memory accounting not read');
      if (failed(m)) return r('unknown', `cannot read the memory accounting: ${m.error}`);
      if (m.unaccountedBytes == null) return r('unknown', `cannot tell: /proc/meminfo lacks ${m.missing.join(', ')}`);
      const share = m.unaccountedBytes / m.totalBytes;
      return r(share >= t.unaccountedRatio ? 'problem' : 'ok',
        `${mib(Math.max(0, m.unaccountedBytes))} (${pct(Math.max(0, share))} of RAM) held outside every counter (limit ${pct(t.unaccountedRatio)})`);
    }
    case 'OOMKilling': {
      const k = x.kernelLog;
      if (!k) return r('unknown', 'kernel log not read');
      if (failed(k)) return r('unknown', `cannot read the kernel log: ${k.error}`);
      const inRange = k.kills.filter((kill) => (kill.uptimeSec == null ? x.sinceSec === 0 : kill.uptimeSec >= x.sinceSec));
      if (inRange.length > 0) {
        const last = inRange[inRange.length - 1];
        return r('problem', `${inRange.length} OOM kill${inRange.length > 1 ? 's' : ''} ${x.sinceText}, last ${last.program} in ${last.cgroup}`);
      }
      // No kill seen: "ok" only if the log reaches back far enough to have shown one.
      if (k.coversFromSec == null) return r('unknown', `no OOM kill in ${k.source}, but it has no timestamps to tell whether it covers ${x.sinceText}`);
      if (k.coversFromSec > x.sinceSec) {
        return r('unknown', `no OOM kill in ${k.source}, but it starts ${k.coversFromSec.toFixed(0)} s after boot (older messages overwritten)`);
      }
      return r('ok', `no OOM kill ${x.sinceText}`);
    }
  }
}

/** Several conditions → the one line and the exit status: problems first, then unknowns. */
export function summarize(results: ConditionResult[], style: 'npd' | 'nagios' = 'npd'): { status: Status; code: number; line: string } {
  const order: Status[] = ['problem', 'unknown', 'ok'];
  const status = order.find((s) => results.some((c) => c.status === s)) ?? 'unknown';
  const sorted = [...results].sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
  const words = WORDS[style];
  const line = `${words[status]}: ` + sorted.map((c) => `${c.name} ${c.status}: ${c.message}`).join('; ');
  // One line, and nothing a terminal or a monitor's UI would interpret: process names come from
  // the kernel log, and a program may name itself with escape sequences.
  // eslint-disable-next-line no-control-regex
  return { status, code: (style === 'nagios' ? NAGIOS_STATUS : STATUS)[status], line: line.replace(/[\r\n]+/g, ' ').replace(/[\x00-\x1f\x7f]/g, '?') };
}
