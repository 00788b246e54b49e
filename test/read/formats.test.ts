import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OomKillIncident } from '../../src/model/kernel-incidents.js';
import { analyzeFixtures } from '../helpers.js';

// The same two real memcg OOM reports (the first cut at its task table by the capture) (this machine, kernel 6.18) as every tool prints them.
// Each format must give the same incidents with the same numbers.
const SAME_REPORTS: [string, string, boolean][] = [
  ['host-6.18-memcg-v1-oom-multi.dmesg.log', 'dmesg', true],
  ['host-6.18-memcg-v1-oom-multi.dmesg-T.log', 'dmesg-T', true],
  ['host-6.18-memcg-v1-oom-multi.dmesg-r.log', 'dmesg-r+dmesg', true],
  ['host-6.18-memcg-v1-oom-multi.dmesg-x.log', 'dmesg-x+dmesg', true],
  ['host-6.18-memcg-v1-oom-multi.kmsg.log', 'kmsg', true],
  ['host-6.18-memcg-v1-oom-both.journal-short.log', 'syslog', false],
  ['host-6.18-memcg-v1-oom-both.journal-short-iso.log', 'syslog-iso', false],
  ['host-6.18-memcg-v1-oom-both.journal-short-precise.log', 'syslog', false],
  ['host-6.18-memcg-v1-oom-both.journal-short-monotonic.log', 'journal-monotonic', false],
  ['host-6.18-memcg-v1-oom-both.journal-json.log', 'journal-json', false],
];

for (const [file, format, firstPartial] of SAME_REPORTS) {
  test(`${format}: ${file} gives both OOM kills with exact numbers`, async () => {
    const a = await analyzeFixtures([file]);
    assert.equal(a.inputs[0].format, format);
    assert.equal(a.inputs[0].type, 'kernel-log');
    const ooms = a.incidents.filter((i): i is OomKillIncident => i.kind === 'oom_kill');
    assert.deepEqual(ooms.map((o) => [o.victim.pid, o.victim.anonRssKb, o.victim.fileRssKb, o.memcg, o.partial]), [
      [2822, 65280, 2264, '/mt-fixture', firstPartial],
      [3006, 72576, 2352, '/mt-fixture-multi', false],
    ]);
    assert.equal(ooms[1].processTable?.rows, 5);
    assert.equal(ooms[1].kernel.version, '6.18.44-fc-v782');
    // The dmesg captures start inside the first report (at its task table): that one is partial,
    // and said so; the journal captures hold both reports whole.
    assert.equal(a.problems.length, firstPartial ? 1 : 0);
    if (firstPartial) assert.match(a.problems[0].message, /without its "invoked oom-killer" header/);
  });
}

test('uptime comes from the kernel timestamp in every format that has one', async () => {
  for (const [file] of SAME_REPORTS.filter(([, f]) => !/^syslog|dmesg-T/.test(f))) {
    const a = await analyzeFixtures([file]);
    const first = a.incidents.find((i) => i.kind === 'oom_kill')!;
    assert.ok(first.uptimeSec != null && Math.abs(first.uptimeSec - 118.2398) < 0.001, `${file}: ${first.uptimeSec}`);
  }
});

test('dmesg -T gives an ISO wall clock; syslog takes its year from an earlier dmesg -T line', async () => {
  const t = await analyzeFixtures(['seed000-4.15-warning-nvme.log']);
  assert.equal(t.incidents[0].time, '2022-06-11T10:21:50');
  // Alone, a syslog line has no year: time stays null, the printed text is kept.
  const alone = await analyzeFixtures(['seed000-4.15-oom-kill-syslog.log']);
  assert.equal(alone.incidents[0].time, null);
  assert.equal(alone.incidents[0].timeText, 'Jun 12 03:24:24');
  // After a dmesg -T input line in the same input, the year is known.
  const both = await analyzeFixtures(['seed000-4.15-warning-nvme.log', 'seed000-4.15-oom-kill-syslog.log']);
  assert.equal(both.incidents[1].time, null, 'years do not leak across inputs');
});
