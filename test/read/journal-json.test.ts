import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJournalJson } from '../../src/read/journal-json.js';
import { readFixture } from '../helpers.js';

/** The record's wall clock as the reader gives it: its own Date and text, each time. */
function wallClock(line: string): string | null {
  const rt = (JSON.parse(line) as Record<string, unknown>).__REALTIME_TIMESTAMP;
  return typeof rt === 'string' && /^\d+$/.test(rt) ? new Date(Number(rt) / 1000).toISOString().replace(/\.\d+Z$/, 'Z') : null;
}

function outcome(f: () => string | null | undefined): string | null | undefined {
  try {
    return f();
  } catch (e) {
    return (e as Error).name;
  }
}

/** A fixture record with its __REALTIME_TIMESTAMP (µs since the epoch) replaced. */
const record = readFixture('host-6.18-memcg-v1-oom-both.journal-json.log').split('\n')[0];
const at = (us: string): string => record.replace(/"__REALTIME_TIMESTAMP":"\d+"/, `"__REALTIME_TIMESTAMP":"${us}"`);

test('journal JSON wall clock: the kept text of the last second is the text of every record', () => {
  const lines = readFixture('host-6.18-memcg-v1-oom-both.journal-json.log').split('\n').filter((l) => l.startsWith('{'));
  assert.ok(lines.length > 100);
  for (const l of lines) assert.equal(parseJournalJson(l)?.time, wallClock(l), l);
  // Each side of second boundaries, back and forth (the kept second changes each time), the
  // epoch, a millisecond fraction, and the far end of what a Date holds.
  const times = ['1795370358999999', '1795370359000000', '1795370358999999', '1795370358000000', '1795370359000999', '1795370359999000',
    '0', '999', '1000', '999999', '1000000', '8639999999999999999', '8640000000000000000', '8640000000000000999', '1795370358999999'];
  for (const us of times) assert.equal(outcome(() => parseJournalJson(at(us))?.time), outcome(() => wallClock(at(us))), us);
  // (Past a Date's range the text throws, as it always did: the limit is the same.)
  assert.equal(outcome(() => parseJournalJson(at('8640000000000000999'))?.time), 'RangeError');
  // (date -u -d @1795370359)
  assert.equal(parseJournalJson(at('1795370359000000'))?.time, '2026-11-22T17:59:19Z');
  assert.equal(parseJournalJson(at('1795370358999999'))?.time, '2026-11-22T17:59:18Z');
});
