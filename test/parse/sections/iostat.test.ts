import assert from 'node:assert/strict';
import { test } from 'node:test';
import { iostat } from '../../../src/parse/sections/iostat.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('seed 002 iostat -d -x -k: mmcblk0 reads per report, first one since boot', () => {
  const { incident: s, problems } = only(iostat, 'seed002-4.9-iostat-x.txt', 'iostat_snapshot');
  assert.equal(s.intervals.length, 3);
  assert.deepEqual(s.intervals.map((iv) => iv.sinceBoot), [true, false, false]);
  const d = s.intervals[1].devices[0];
  assert.deepEqual([d.device, d.readsPerSec, d.readKbPerSec, d.readAwaitMs, d.queueSize, d.utilPercent], ['mmcblk0', 1205.88, 46352.94, 24.66, 29.66, 134.31]);
  assert.equal(d.values['rareq-sz'], 38.44);
  assert.deepEqual([s.line, s.endLine], [1, 13]);
  assert.deepEqual(problems, []);
});

test('6.18 iostat -x with avg-cpu', () => {
  const { incident: s, problems } = only(iostat, 'host-6.18-iostat-x.txt', 'iostat_snapshot');
  assert.equal(s.intervals.length, 2);
  assert.equal(s.intervals[0].avgCpu?.['%iowait'], 0.84);
  assert.equal(s.intervals[0].devices[0].writeKbPerSec, 1120);
  assert.equal(s.host?.kernelVersion, '6.18.44-fc-v782');
  assert.deepEqual(problems, []);
});

test('silent elsewhere; garbage', () => {
  assertSilent(iostat, ['seed002-4.9-mpstat.txt', 'seed002-4.9-pidstat-d.txt', 'host-6.18-buddyinfo.txt']);
  assertSurvivesGarbage(iostat, 'seed002-4.9-iostat-x.txt');
});

// A 6.1 qemu guest with no hostname set: sysstat 12.6 prints the kernel's "(none)" in parentheses.
test('banner of a machine without a hostname: "Linux 6.1.0-53-amd64 ((none))"', () => {
  const { incident: s, problems } = only(iostat, 'qemu-6.1-iostat-x-cgroup-reread.txt', 'iostat_snapshot');
  assert.deepEqual([s.host?.host, s.host?.kernelVersion, s.host?.cpus], ['(none)', '6.1.0-53-amd64', 2]);
  assert.deepEqual(s.intervals.map((i) => [i.sinceBoot, i.devices[0].readKbPerSec, i.devices[0].writeKbPerSec, i.devices[0].utilPercent]),
    [[true, 24648.82, 7.09, 22.1], [false, 112015.92, 19.9, 48.96], [false, 129856, 20, 41], [false, 135514.43, 19.9, 46.17]]);
  assert.deepEqual(problems, []);
});
