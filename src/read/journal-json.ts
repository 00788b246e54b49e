/**
 * `journalctl -k -o json` writes one JSON object per line. MESSAGE is a string, or an array of
 * bytes when the message was not valid UTF-8.
 */
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

export function parseJournalJson(line: string): JournalRecord | null {
  if (!line.startsWith('{') || line.indexOf('"MESSAGE"') === -1) return null;
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
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
    time: rt && /^\d+$/.test(rt) ? new Date(Number(rt) / 1000).toISOString().replace(/\.\d+Z$/, 'Z') : null,
    uptimeSec: mono && /^\d+$/.test(mono) ? Number(mono) / 1e6 : null,
    fromKernel: ident != null ? ident === 'kernel' : transport == null ? null : transport === 'kernel',
  };
}
