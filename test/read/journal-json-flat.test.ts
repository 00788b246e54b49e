import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFlatRecord } from '../../src/read/journal-json-flat.js';
import { parseJournalJson } from '../../src/read/journal-json.js';
import { readFixture } from '../helpers.js';

const NAMES = ['MESSAGE', '__REALTIME_TIMESTAMP', '_SOURCE_MONOTONIC_TIMESTAMP', '__MONOTONIC_TIMESTAMP', '_TRANSPORT', 'SYSLOG_IDENTIFIER'] as const;

/** What JSON.parse says of the line: the six fields, or "not JSON". */
function byJsonParse(line: string): Record<string, unknown> | 'not JSON' {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return 'not JSON';
  }
  return Object.fromEntries(NAMES.map((n) => [n, obj[n]]));
}

/** The record as parseJournalJson read it with JSON.parse alone (before the flat reader). */
function reference(line: string): { msg: string; time: string | null; uptimeSec: number | null; fromKernel: boolean | null } | null {
  if (line.indexOf('"MESSAGE"') === -1) return null;
  const obj = byJsonParse(line);
  if (obj === 'not JSON') return null;
  const field = (v: unknown): string | null =>
    typeof v === 'string' ? v : Array.isArray(v) && v.every((b) => typeof b === 'number') ? Buffer.from(v as number[]).toString('utf8') : null;
  const msg = field(obj.MESSAGE);
  if (msg == null) return null;
  const [rt, mono, transport, ident] = [field(obj.__REALTIME_TIMESTAMP), field(obj._SOURCE_MONOTONIC_TIMESTAMP) ?? field(obj.__MONOTONIC_TIMESTAMP), field(obj._TRANSPORT), field(obj.SYSLOG_IDENTIFIER)];
  return {
    msg,
    // (null past what a Date holds: journal-json.test.ts)
    time: rt && /^\d+$/.test(rt) && Math.trunc(Number(rt) / 1000) <= 8.64e15 ? new Date(Number(rt) / 1000).toISOString().replace(/\.\d+Z$/, 'Z') : null,
    uptimeSec: mono && /^\d+$/.test(mono) ? Number(mono) / 1e6 : null,
    fromKernel: ident != null ? ident === 'kernel' : transport == null ? null : transport === 'kernel',
  };
}

const records = readFixture('host-6.18-memcg-v1-oom-both.journal-json.log').split('\n').filter((l) => l.startsWith('{'));

test('the flat reader reads every journal JSON record of the fixture, as JSON.parse does', () => {
  assert.ok(records.length > 100);
  for (const line of records) {
    const flat = readFlatRecord(line);
    assert.ok(flat, line);
    assert.deepEqual({ ...flat }, byJsonParse(line), line);
  }
});

// Each change may make the line other JSON (escapes, a field twice, numbers, arrays, white space)
// or no JSON at all; the flat reader must answer JSON.parse's fields or null (ask JSON.parse).
const inserts = ['"', '\\', '\\"', '\\n', '\\u0041', ':', ',', '{', '}', '[', ']', ' ', '\t', '\n', '\r', '\u000b', '\u0001', '\u00a0', '\u2028',
  '0', 'null', 'é', '"MESSAGE":"x",', '"MESSAGE":[104,105],', ',"MESSAGE":"again"', '"_TRANSPORT":"syslog",', '"__proto__":"x",', '\ud800'];

test('the flat reader agrees with JSON.parse on changed records, or leaves them to it', () => {
  let seed = 5;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  let read = 0;
  let tried = 0;
  for (const base of records.slice(0, 60)) {
    for (let t = 0; t < 300; t++) {
      let line = base;
      for (let k = 1 + rnd(2); k > 0; k--) {
        const at = 1 + rnd(line.length - 1);
        const op = rnd(3);
        if (op === 0) line = line.slice(0, at) + inserts[rnd(inserts.length)] + line.slice(at);
        else if (op === 1) line = line.slice(0, at) + line.slice(at + 1 + rnd(3));
        else line = line.slice(0, at) + inserts[rnd(inserts.length)] + line.slice(at + 1);
      }
      if (!line.startsWith('{')) continue;
      tried++;
      assert.deepEqual(parseJournalJson(line), reference(line), JSON.stringify(line));
      const flat = readFlatRecord(line);
      if (flat === null) continue;
      read++;
      assert.deepEqual({ ...flat }, byJsonParse(line), JSON.stringify(line));
    }
  }
  // Many changed lines are still flat JSON (a space or a field added): the reader takes those.
  assert.ok(read > tried / 10 && read < tried, `read ${read} of ${tried}`);
});

test('the flat reader leaves escapes, other values and trailing text to JSON.parse', () => {
  const line = records[0];
  const cases = [
    line.replace('"MESSAGE":"', '"MESSAGE":"\\"'), line.replace('"MESSAGE":"', '"MESS\\u0041GE":"'), line.replace(/"MESSAGE":"[^"]*"/, '"MESSAGE":[104,105]'),
    line.replace('"PRIORITY":"5"', '"PRIORITY":5'), line.replace('"PRIORITY":"5"', '"PRIORITY":null'), `${line}x`, `${line},`, line.slice(0, -1), '{}', '{ }',
    line.replace('"MESSAGE":"', '"MESSAGE":"\t'), line.replace('","', '",\u000b"'), line.replace('","', '",\f"'), line.replace('","', '",\u00a0"'),
  ];
  for (const c of cases) assert.equal(readFlatRecord(c), null, c);
  // White space JSON allows is read; a second field of a name replaces the first, as in JSON.parse.
  const spaced = line.replace(/":"/g, '" : "').replace(/","/g, '" ,\r\n\t"').replace(/}$/, ' }\n');
  assert.deepEqual({ ...readFlatRecord(spaced) }, byJsonParse(spaced));
  const twice = line.replace(/}$/, ',"MESSAGE":"second"}');
  assert.equal(readFlatRecord(twice)?.MESSAGE, 'second');
  assert.equal(parseJournalJson(twice)?.msg, 'second');
});
