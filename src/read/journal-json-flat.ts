/**
 * The fields journal-json.ts reads, taken from a `journalctl -o json` line without JSON.parse
 * when the line is a flat object of plain strings: no escapes, no control characters, no
 * numbers, arrays or nested objects. That is every line journalctl writes for a kernel record
 * with a valid UTF-8 message; JSON.parse made a string of each of its ~17 fields and an object
 * whose shape follows their order, which journald does not keep (parseJournalJson was a third of
 * the kernel-line assembly's CPU time on the 1 GiB bench log, measured with perf). Any other line answers null
 * and is read with JSON.parse, which then also decides whether it is JSON at all: this reader
 * never says a line is not JSON. test/read/journal-json-flat.test.ts holds it to JSON.parse.
 */

/** The values of the fields read (the last one of each name, as JSON.parse keeps), undefined when absent. */
export interface FlatRecord {
  MESSAGE: string | undefined;
  __REALTIME_TIMESTAMP: string | undefined;
  _SOURCE_MONOTONIC_TIMESTAMP: string | undefined;
  __MONOTONIC_TIMESTAMP: string | undefined;
  _TRANSPORT: string | undefined;
  SYSLOG_IDENTIFIER: string | undefined;
}

/** JSON's white space: space, tab, line feed, carriage return (no other). */
const ws = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * The end (the closing quote) of a string whose opening quote is at i - 1, or -1 when it holds
 * a backslash or a control character (those JSON.parse reads) or does not end.
 */
function stringEnd(line: string, i: number): number {
  for (let c = line.charCodeAt(i); c !== 34; c = line.charCodeAt(++i)) {
    if (c < 32 || c === 92 || Number.isNaN(c)) return -1;
  }
  return i;
}

/** `line` starts with "{". */
export function readFlatRecord(line: string): FlatRecord | null {
  const f: FlatRecord = { MESSAGE: undefined, __REALTIME_TIMESTAMP: undefined, _SOURCE_MONOTONIC_TIMESTAMP: undefined, __MONOTONIC_TIMESTAMP: undefined, _TRANSPORT: undefined, SYSLOG_IDENTIFIER: undefined };
  let i = 1;
  while (ws(line.charCodeAt(i))) i++;
  for (;;) {
    // "name" : "value"
    if (line.charCodeAt(i) !== 34) return null;
    const k0 = i + 1;
    const k1 = stringEnd(line, k0);
    if (k1 === -1) return null;
    i = k1 + 1;
    while (ws(line.charCodeAt(i))) i++;
    if (line.charCodeAt(i) !== 58) return null;
    i++;
    while (ws(line.charCodeAt(i))) i++;
    if (line.charCodeAt(i) !== 34) return null;
    const v0 = i + 1;
    const v1 = stringEnd(line, v0);
    if (v1 === -1) return null;
    switch (k1 - k0) {
      case 7: if (line.startsWith('MESSAGE', k0)) f.MESSAGE = line.slice(v0, v1); break;
      case 10: if (line.startsWith('_TRANSPORT', k0)) f._TRANSPORT = line.slice(v0, v1); break;
      case 17: if (line.startsWith('SYSLOG_IDENTIFIER', k0)) f.SYSLOG_IDENTIFIER = line.slice(v0, v1); break;
      case 20: if (line.startsWith('__REALTIME_TIMESTAMP', k0)) f.__REALTIME_TIMESTAMP = line.slice(v0, v1); break;
      case 21: if (line.startsWith('__MONOTONIC_TIMESTAMP', k0)) f.__MONOTONIC_TIMESTAMP = line.slice(v0, v1); break;
      case 27: if (line.startsWith('_SOURCE_MONOTONIC_TIMESTAMP', k0)) f._SOURCE_MONOTONIC_TIMESTAMP = line.slice(v0, v1); break;
    }
    i = v1 + 1;
    while (ws(line.charCodeAt(i))) i++;
    const c = line.charCodeAt(i);
    if (c === 44) {
      i++;
      while (ws(line.charCodeAt(i))) i++;
      continue;
    }
    if (c !== 125) return null;
    i++;
    while (ws(line.charCodeAt(i))) i++;
    return i === line.length ? f : null;
  }
}
