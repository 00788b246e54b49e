/**
 * Pure readers of the few kernel files the guard samples 10 times a second. Hand-rolled loops
 * rather than regexes over split lines: they run on every tick for every cgroup.
 */

/** PSI file ("some avg10=0.00 avg60=0.00 avg300=0.00 total=1234\nfull …") → totals in µs, null when absent. */
export function psiTotals(text: string | null): { someUs: number | null; fullUs: number | null } {
  return { someUs: psiTotal(text, 'some'), fullUs: psiTotal(text, 'full') };
}

/** The total= of one line, found with indexOf (no split: this runs for every cgroup on every tick). */
function psiTotal(text: string | null, kind: 'some' | 'full'): number | null {
  if (!text) return null;
  let start = text.startsWith(`${kind} `) ? 0 : text.indexOf(`\n${kind} `);
  if (start < 0) return null;
  if (start > 0) start++;
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  const t = text.indexOf('total=', start);
  if (t < 0 || t > end) return null;
  // A digit must follow (Number('') and Number(' ') are 0, not "absent").
  const d = text.charCodeAt(t + 6);
  if (!(d >= 48 && d <= 57)) return null;
  const v = Number(text.slice(t + 6, end));
  return Number.isFinite(v) ? v : null;
}

/** "key value" lines (memory.stat, memory.events, vmstat, memory.oom_control) → map. Bad lines skipped. */
export function keyValues(text: string | null): Map<string, number> {
  const out = new Map<string, number>();
  if (!text) return out;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const sp = text.indexOf(' ', start);
    if (sp > start && sp < end) {
      const v = Number(text.slice(sp + 1, end));
      if (Number.isFinite(v)) out.set(text.slice(start, sp), v);
    }
    start = end + 1;
  }
  return out;
}

/** A single number file (memory.usage_in_bytes, memory.max); "max" and v1's near-2^63 "no limit" → null. */
export function limitValue(text: string | null): number | null {
  if (text == null) return null;
  const t = text.trim();
  if (t === '' || t === 'max') return null;
  const v = Number(t);
  // v1 prints PAGE_COUNTER_MAX * PAGE_SIZE (9223372036854771712 on 4 KiB pages) for "unlimited".
  if (!Number.isFinite(v) || v >= 2 ** 62) return null;
  return v;
}

/** MemAvailable from /proc/meminfo, kB. */
export function memAvailableKb(text: string | null): number | null {
  if (!text) return null;
  const m = /^MemAvailable:\s+(\d+) kB/m.exec(text);
  return m ? Number(m[1]) : null;
}

/** Sum of the keys that exist; null when none does (vmstat's pgscan_kswapd + pgscan_direct + …). */
export function sumKeys(kv: Map<string, number>, keys: readonly string[]): number | null {
  let sum: number | null = null;
  for (const k of keys) {
    const v = kv.get(k);
    if (v !== undefined) sum = (sum ?? 0) + v;
  }
  return sum;
}

/**
 * The value of one "key value" line (memory.stat, vmstat), or null: a native indexOf per key
 * instead of splitting the whole file, since only ~6 of vmstat's ~180 keys are wanted 10 times a second.
 */
export function valueOf(text: string | null, key: string): number | null {
  if (!text) return null;
  let i = text.startsWith(`${key} `) ? 0 : text.indexOf(`\n${key} `);
  if (i < 0) return null;
  if (i > 0) i++;
  const start = i + key.length + 1;
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  const v = Number(text.slice(start, end));
  return Number.isFinite(v) ? v : null;
}

/** Sum of the keys that exist (valueOf each); null when none does. */
export function sumValues(text: string | null, keys: readonly string[]): number | null {
  let sum: number | null = null;
  for (const k of keys) {
    const v = valueOf(text, k);
    if (v != null) sum = (sum ?? 0) + v;
  }
  return sum;
}
