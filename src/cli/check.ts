import { parseArgs } from 'node:util';
import { CONDITIONS, DEFAULT_THRESHOLDS, evaluate, summarize, type ConditionName, type Thresholds } from '../check/conditions.js';
import { gatherCheck, type SinceSpec } from '../check/gather.js';
import { FixtureReader, type ProcReader } from '../live/reader.js';
import { RealReader } from '../live/real-reader.js';
import { type CliIO, type Command, UsageError } from './command.js';
import { formatOption, intOption } from './options.js';
import { SUMMARIES } from './registry.js';

const HELP = `Usage: memtriage check [--condition NAME[,NAME…]] [--since T | --last D] [thresholds]

One quick look at this machine for a monitor (node-problem-detector custom plugin, Nagios, Icinga,
Zabbix, cron): prints exactly one line and exits
  0  ok       every condition checked is fine
  1  problem  at least one condition holds
  2  unknown  a condition could not be looked at (kernel log unreadable as non-root, no PSI…)
              or bad usage: never "ok" for what it could not see.

Conditions (all by default):
  MemoryThrashing    memory pressure (/proc/pressure/memory, last 10 s) at or above --pressure-some
                     (share of time some task stalled) or --pressure-full (all non-idle tasks stalled)
  UnaccountedMemory  memory held outside every counter (MemTotal − every counter, as "memtriage
                     where" shows it) at or above --unaccounted-ratio of RAM: a driver, a balloon,
                     a leak no process owns. Unknown when /proc/meminfo lacks a counter it needs.
  OOMKilling         an OOM kill in the kernel log since --since (default: since boot). Unknown when
                     the log cannot be read, or no kill was seen but the log no longer reaches back
                     that far (the ring buffer wrapped).

Options:
  --condition NAME      check only these (comma-separated): ${CONDITIONS.join(', ')}
  --since T             kills at or after T: seconds since boot ("63000") or a wall clock
                        ("2026-12-01 03:00", this machine's local time)
  --last D              kills in the last D: "90s", "10m", "2h", "1d" (use the monitor's interval)
  --pressure-some R     0..1, default ${DEFAULT_THRESHOLDS.pressureSome}
  --pressure-full R     0..1, default ${DEFAULT_THRESHOLDS.pressureFull}
  --unaccounted-ratio R 0..1, default ${DEFAULT_THRESHOLDS.unaccountedRatio}
  --kernel-log FILE     read this kernel log (dmesg, kmsg, journalctl -k …) instead of this machine's
  --root DIR            read /proc files from a captured tree (DIR/proc/…) instead of this machine's
                        (the kernel log still comes from this machine, or from --kernel-log)
  --timeout-ms N        give up on a /proc read after N ms (default 3000)
  -f, --format F        text (default): the one line; json: the same on one line as JSON
                        ({"status","code","line","conditions":[{"name","status","message"}]})
      --no-color        accepted for symmetry with the other commands (the line has no color)
  --nagios              Nagios plugin exit codes: 0 OK, 2 CRITICAL (a problem), 3 UNKNOWN (also
                        for bad usage); node-problem-detector wants the default 0/1/2

Examples:
  memtriage check
  memtriage check --condition MemoryThrashing --pressure-some 0.5
  memtriage check --condition OOMKilling --last 5m    # root: /dev/kmsg needs CAP_SYSLOG
`;

const OPTIONS = {
  condition: { type: 'string' }, since: { type: 'string' }, last: { type: 'string' },
  'pressure-some': { type: 'string' }, 'pressure-full': { type: 'string' }, 'unaccounted-ratio': { type: 'string' },
  'kernel-log': { type: 'string' }, root: { type: 'string' }, 'timeout-ms': { type: 'string' },
  nagios: { type: 'boolean' }, format: { type: 'string', short: 'f' }, 'no-color': { type: 'boolean' },
} as const;

function ratio(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!/^\d*\.?\d+$/.test(v) || n > 1) throw new UsageError(`--${name} wants a ratio from 0 to 1 ("0.3" for 30 %), got "${v}"`);
  return n;
}

function sinceSpec(since: string | undefined, last: string | undefined): SinceSpec {
  if (since !== undefined && last !== undefined) throw new UsageError('give --since or --last, not both');
  if (last !== undefined) {
    const m = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(last.trim());
    if (!m) throw new UsageError(`--last ${last}: give a duration like "90s", "10m", "2h" or "1d"`);
    return { agoSec: Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'], text: `in the last ${last.trim()}` };
  }
  if (since === undefined || since === 'boot') return { boot: true };
  const up = /^\+?(\d+(?:\.\d+)?)s?$/.exec(since.trim());
  if (up) return { uptimeSec: Number(up[1]) };
  const wall = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d(?::\d\d)?))?$/.exec(since.trim());
  const ms = wall ? new Date(`${wall[1]}T${wall[2] ?? '00:00'}`).getTime() : NaN;
  if (!Number.isFinite(ms)) throw new UsageError(`--since ${since}: give seconds since boot ("63000") or a date and time ("2026-12-01 03:00")`);
  return { wallMs: ms, text: `since ${since.trim()}` };
}

function conditions(v: string | undefined): ConditionName[] {
  if (v === undefined) return [...CONDITIONS];
  const names = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(CONDITIONS as readonly string[]).includes(n)) throw new UsageError(`--condition ${n}: unknown; use ${CONDITIONS.join(', ')}`);
  }
  if (names.length === 0) throw new UsageError('--condition needs a name');
  return names as ConditionName[];
}

export const checkCommand: Command = {
  name: 'check',
  summary: SUMMARIES.check,
  help: HELP,
  options: OPTIONS,
  async run(argv: string[], io: CliIO): Promise<number> {
    if (!argv.includes('--nagios')) return check(argv, io);
    try {
      return await check(argv, io);
    } catch (e) {
      const err = e as Error & { code?: string };
      if (!(e instanceof UsageError) && !err.code?.startsWith('ERR_PARSE_ARGS')) throw e;
      // Nagios reads 2 as CRITICAL: a check it could not even start is UNKNOWN (3).
      io.stdout.write(`UNKNOWN: memtriage check: ${err.message}\n`);
      return 3;
    }
  },
};

async function check(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args: argv, allowPositionals: false, strict: true, options: OPTIONS });
  const format = formatOption(values.format, ['text', 'json']);
  const names = conditions(values.condition);
  const t: Thresholds = {
    pressureSome: ratio(values['pressure-some'], 'pressure-some', DEFAULT_THRESHOLDS.pressureSome),
    pressureFull: ratio(values['pressure-full'], 'pressure-full', DEFAULT_THRESHOLDS.pressureFull),
    unaccountedRatio: ratio(values['unaccounted-ratio'], 'unaccounted-ratio', DEFAULT_THRESHOLDS.unaccountedRatio),
  };
  const since = sinceSpec(values.since, values.last);
  const reader: ProcReader = values.root ? new FixtureReader(values.root) : new RealReader({ timeoutMs: intOption(values['timeout-ms'], 'timeout-ms') });
  try {
    const inputs = await gatherCheck({ reader, conditions: names, kernelLogFile: values['kernel-log'], since });
    const results = names.map((n) => evaluate(n, inputs, t));
    const s = summarize(results, values.nagios ? 'nagios' : 'npd');
    io.stdout.write(format === 'json' ? `${JSON.stringify({ status: s.status, code: s.code, line: s.line, conditions: results })}\n` : `${s.line}\n`);
    return s.code;
  } finally {
    await reader.close();
  }
}
