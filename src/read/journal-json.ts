/**
 * `journalctl -k -o json` writes one JSON object per line. MESSAGE is a string, or an array of
 * bytes when the message was not valid UTF-8.
 */
import { readFlatRecord, type FlatRecord } from './journal-json-flat.js';

export interface JournalRecord {
  msg: string;
  time: string | null;
  uptimeSec: number | null;
  fromKernel: boolean | null;
}

function field(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((b) => typeof b === 'number')) return Buffer.from(v as number[]).toString('utf8');
  return null;
}

/** The second isoSeconds() made its text for last, and that text. */
let lastSecond = -1;
let lastIso = '';

/**
 * The wall clock of a journal record (ms since the epoch) as ISO text to the second, or null past
 * what a Date holds (±8.64e15 ms: a broken record; a Date's text of it threw, and the whole
 * analyze ended with an internal error). A report's records share their second: the text of the
 * last second is kept (a Date and its text per line were a quarter of its time per record).
 */
function isoSeconds(ms: number): string | null {
  // Date keeps whole milliseconds and the text drops them: one second, one text. (ms / 1000 of an
  // integer below 8.64e15 never rounds up to the next second in a double.)
  const whole = Math.trunc(ms);
  if (!(whole >= 0 && whole <= 8.64e15)) return null;
  const second = Math.floor(whole / 1000);
  if (second !== lastSecond) {
    lastIso = new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    lastSecond = second;
  }
  return lastIso;
}

export function parseJournalJson(line: string): JournalRecord | null {
  if (!line.startsWith('{') || line.indexOf('"MESSAGE"') === -1) return null;
  let obj: Record<string, unknown> | FlatRecord | null = readFlatRecord(line);
  if (obj === null) {
    try {
      obj = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return null;
    }
  }
  const msg = field(obj.MESSAGE);
  if (msg == null) return null;
  const rt = field(obj.__REALTIME_TIMESTAMP);
  // _SOURCE_MONOTONIC_TIMESTAMP is the kernel's own timestamp (µs since boot) for kernel records.
  const mono = field(obj._SOURCE_MONOTONIC_TIMESTAMP) ?? field(obj.__MONOTONIC_TIMESTAMP);
  const transport = field(obj._TRANSPORT);
  // User space writing to /dev/kmsg arrives with _TRANSPORT=kernel too; journald keeps its name.
  const ident = field(obj.SYSLOG_IDENTIFIER);
  return {
    msg,
    time: rt && /^\d+$/.test(rt) ? isoSeconds(Number(rt) / 1000) : null,
    uptimeSec: mono && /^\d+$/.test(mono) ? Number(mono) / 1e6 : null,
    fromKernel: ident != null ? ident === 'kernel' : transport == null ? null : transport === 'kernel',
  };
}
