import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJournalJson } from '../../src/read/journal-json.js';
import { readFixture } from '../helpers.js';

/** The record's wall clock as the reader gives it: its own Date and text, each time. */
function wallClock(line: string): string | null {
  const rt = (JSON.parse(line) as Record<string, unknown>).__REALTIME_TIMESTAMP;
  return typeof rt === 'string' && /^\d+$/.test(rt) ? new Date(Number(rt) / 1000).toISOString().replace(/\.\d+Z$/, 'Z') : null;
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
    '0', '999', '1000', '999999', '1000000', '8639999999999999999', '8640000000000000000', '1795370358999999'];
  for (const us of times) assert.equal(parseJournalJson(at(us))?.time, wallClock(at(us)), us);
  // Past a Date's range (the first: 8.64e15 ms and 999 µs, read as 8.64e15 + 1 ms) there is no
  // time, and the record is still read: its Date's text threw, and analyze ended with an internal error.
  assert.throws(() => wallClock(at('8640000000000000999')), RangeError);
  for (const us of ['8640000000000000999', '99999999999999999999', '9'.repeat(400)]) {
    const r = parseJournalJson(at(us));
    assert.equal(r?.time, null, us);
    assert.equal(r?.msg, parseJournalJson(record)?.msg, us);
  }
  // (date -u -d @1795370359)
  assert.equal(parseJournalJson(at('1795370359000000'))?.time, '2026-11-22T17:59:19Z');
  assert.equal(parseJournalJson(at('1795370358999999'))?.time, '2026-11-22T17:59:18Z');
});
