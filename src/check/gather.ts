import { readFile } from 'node:fs/promises';
import { analyze } from '../index.js';
import { readKernelLog } from '../live/kmsg.js';
import type { ProcReader } from '../live/reader.js';
import { readHolders } from '../metrics/holders.js';
import { killLabels } from '../metrics/oom-kills.js';
import type { OomKillIncident } from '../model/kernel-incidents.js';
import { psi } from '../parse/sections/psi.js';
import type { CheckInputs, ConditionName } from './conditions.js';

export interface GatherOptions {
  reader: ProcReader;
  conditions: ConditionName[];
  /** A kernel log file to read instead of this machine's (/dev/kmsg, else dmesg). */
  kernelLogFile?: string;
  since: SinceSpec;
}

/** --since/--last as given: seconds since boot, a wall clock, or a duration back from now. */
export type SinceSpec = { boot: true } | { uptimeSec: number } | { wallMs: number; text: string } | { agoSec: number; text: string };

/** Reads only what the asked conditions need: a monitor runs this every minute. */
export async function gatherCheck(o: GatherOptions): Promise<CheckInputs> {
  const x: CheckInputs = { sinceSec: 0, sinceText: 'since boot' };
  const need = (c: ConditionName) => o.conditions.includes(c);
  if (need('MemoryThrashing')) x.pressure = await readPressure(o.reader);
  if (need('UnaccountedMemory')) {
    const h = await readHolders(o.reader).catch(() => null);
    x.memory = h ? { totalBytes: h.totalBytes, unaccountedBytes: h.bytes.unaccounted, missing: h.missing } : { error: '/proc/meminfo unreadable' };
  }
  if (need('OOMKilling')) {
    const since = await resolveSince(o.since, o.reader);
    if ('error' in since) x.kernelLog = since;
    else {
      x.sinceSec = since.sec;
      x.sinceText = since.text;
      x.kernelLog = await readKills(o.kernelLogFile);
    }
  }
  return x;
}

async function readPressure(reader: ProcReader): Promise<CheckInputs['pressure']> {
  const text = await reader.readFile('/proc/pressure/memory');
  if (text == null) {
    const f = reader.failures().find((e) => e.path === '/proc/pressure/memory');
    return { error: `/proc/pressure/memory: ${f?.code ?? 'unreadable'} (PSI needs kernel 4.20+ and psi=1)` };
  }
  const lines = text.split('\n').filter(Boolean).map((t, i) => ({ input: 0, line: i + 1, text: t }));
  const inc = psi.parse(lines).incidents[0];
  if (!inc || inc.kind !== 'psi_snapshot' || !inc.some) return { error: '/proc/pressure/memory: no "some avg10=" line' };
  return { some10s: inc.some.avg10 / 100, full10s: inc.full ? inc.full.avg10 / 100 : null };
}

async function resolveSince(s: SinceSpec, reader: ProcReader): Promise<{ sec: number; text: string } | { error: string }> {
  if ('boot' in s) return { sec: 0, text: 'since boot' };
  if ('uptimeSec' in s) return { sec: s.uptimeSec, text: `since ${s.uptimeSec} s after boot` };
  const up = /^(\d+(?:\.\d+)?)/.exec((await reader.readFile('/proc/uptime')) ?? '');
  if (!up) return { error: '/proc/uptime unreadable: cannot place --since on the kernel clock' };
  const nowUp = Number(up[1]);
  // Kernel timestamps count from boot (not across suspend); wall clock → uptime through "now".
  const sec = 'agoSec' in s ? nowUp - s.agoSec : nowUp - (Date.now() - s.wallMs) / 1000;
  return { sec: Math.max(0, sec), text: s.text };
}

async function readKills(file: string | undefined): Promise<CheckInputs['kernelLog']> {
  let text: string;
  let source: string;
  if (file) {
    try { text = await readFile(file, 'utf8'); } catch (e) { return { error: `${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }; }
    source = file;
  } else {
    const { log, errors } = await readKernelLog();
    if (!log) return { error: `${errors.map((e) => `${e.path}: ${/^\d+$/.test(e.code) ? `exit ${e.code}` : e.code}`).join(', ')} (needs root or CAP_SYSLOG when kernel.dmesg_restrict=1)` };
    text = log.text;
    source = log.name === 'kmsg.log' ? '/dev/kmsg' : 'dmesg';
  }
  const a = await analyze([{ name: source, text }], { rules: [] });
  const kills = a.incidents.filter((i): i is OomKillIncident => i.kind === 'oom_kill' && i.outcome !== 'panic' && i.victim.line != null)
    .map((k) => ({ uptimeSec: k.uptimeSec, ...killLabels(k) }));
  return { kills, coversFromSec: coverage(text), source };
}

/**
 * From when the log holds every message: a /dev/kmsg capture whose first record is sequence 0 starts
 * at boot; otherwise (the ring buffer wrapped, or a dmesg capture) it starts at its first timestamp.
 */
export function coverage(text: string): number | null {
  const nl = text.indexOf('\n');
  const first = nl < 0 ? text : text.slice(0, nl);
  const kmsg = /^\d+,(\d+),(\d+),/.exec(first);
  if (kmsg) return Number(kmsg[1]) === 0 ? 0 : Number(kmsg[2]) / 1e6;
  const dmesg = /^\[\s*(\d+\.\d+)\]/.exec(first);
  if (dmesg) return Number(dmesg[1]) < 1 ? 0 : Number(dmesg[1]);
  return null;
}
