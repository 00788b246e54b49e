import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze, type Finding } from '../../src/index.js';
import { programMemory } from '../../src/rules/program-memory.js';
import type { Rule } from '../../src/rules/types.js';
import { whereMemoryWent } from '../../src/rules/where-memory-went.js';
import { zoneBelowMin } from '../../src/rules/zone-below-min.js';
import { readFixture } from '../helpers.js';

// Issue 10 item 4: a flapping node's global OOMs with the same story are one finding per rule, the
// last in detail. qemu-4.4-global-oom-flapping.log: a real 4.4 guest whose supervisor restarted a
// leaking hog four times (reports at lines 1, 41, 81, 121; 4.553228 … 8.523715 s; victims pids 30,
// 32, 33, 34; the same three sleepers each time; DMA32 free 2700 kB < min 2760 kB each time).
const FLAP = 'qemu-4.4-global-oom-flapping.log';
const flap = readFixture(FLAP);
const firstReports = (n: number) => flap.split('\n').slice(0, 40 * n).join('\n') + '\n';
const data = (f: Finding) => (f.data ?? {}) as Record<string, any>;

const RULES: [Rule, string][] = [
  [zoneBelowMin, 'The same zones were at or below their min watermark at 4 OOM kills'],
  [programMemory, 'The same program held most of the task table\'s rss at 4 OOM kills'],
  [whereMemoryWent, 'The same holders, with the same culprit inside the largest, held most of the memory at 4 OOM kills'],
];

async function run(rule: Rule, text: string, groupReports?: number, keepCopies = false): Promise<Finding[]> {
  const ruleOptions = groupReports == null ? {} : { [rule.meta.id]: { groupReports } };
  return (await analyze([{ name: 'x.log', text }], { rules: [rule], ruleOptions, keepCopies })).findings;
}

for (const [rule, lead] of RULES) {
  const id = rule.meta.id;

  test(`${id}: four real global OOMs of the same story are one finding, the span, the last in detail, first and last evidence`, async () => {
    const [f, ...rest] = await run(rule, flap);
    assert.equal(rest.length, 0, 'one finding, not one per OOM');
    const apart = await run(rule, flap, 5);
    assert.equal(apart.length, 4, 'groupReports 5 keeps the four apart');
    const last = apart[3];
    assert.equal(f.title, `${last.title} (the same at 4 OOM kills)`);
    assert.equal(f.explanation, `${lead}, from 4.553228 s after boot to 8.523715 s after boot. The last of them: ${last.explanation}`);
    assert.deepEqual(f.incidents, [0, 1, 2, 3]);
    assert.deepEqual([data(f).reports, data(f).firstIncident, data(f).lastIncident], [4, 0, 3]);
    assert.equal(f.severity, last.severity);
    // The first report's header, then the last one's evidence (its header at line 121).
    assert.equal(f.evidence[0].line, 1);
    assert.match(f.evidence[0].text, /4\.553228\] hog invoked oom-killer/);
    assert.ok(f.evidence.some((e) => e.line === 121 && /8\.523715\] hog invoked oom-killer/.test(e.text)));
    assert.ok(f.evidence.every((e) => e.line === 1 || e.line >= 121), 'nothing from the reports in between');
  });

  test(`${id}: threshold on both sides — 1 OOM alone, 2 grouped at the default, 2 apart with groupReports 3`, async () => {
    const one = await run(rule, readFixture('qemu-4.4-global-oom.log'));
    assert.equal(one.length, 1);
    assert.doesNotMatch(one[0].title, /the same at/);
    assert.equal(data(one[0]).reports, undefined);
    const firstOfFlap = await run(rule, firstReports(1));
    assert.deepEqual(firstOfFlap.map((f) => [f.incidents, data(f).reports]), [[[0], undefined]]);

    const two = await run(rule, firstReports(2));
    assert.equal(two.length, 1);
    assert.match(two[0].title, / \(the same at 2 OOM kills\)$/);
    assert.match(two[0].explanation, /from 4\.553228 s after boot to 5\.873998 s after boot\. The last of them: /);
    assert.deepEqual([two[0].incidents, data(two[0]).reports, data(two[0]).firstIncident, data(two[0]).lastIncident], [[0, 1], 2, 0, 1]);

    const twoApart = await run(rule, firstReports(2), 3);
    assert.deepEqual(twoApart.map((f) => [f.incidents, data(f).reports]), [[[0], undefined], [[1], undefined]]);
    assert.ok(twoApart.every((f) => !/the same at/.test(f.title)));
  });

  test(`${id}: a second report cut before its Mem-Info is not counted in: the first stays alone`, async () => {
    const lines = flap.split('\n');
    const cut = lines.findIndex((l, i) => i > 40 && l.includes('Mem-Info:'));
    assert.equal(cut, 55); // 0-based: line 56 of the file
    const fs = await run(rule, lines.slice(0, cut).join('\n') + '\n');
    assert.deepEqual(fs.map((f) => [f.incidents, data(f).reports]), [[[0], undefined]]);
  });

  test(`${id}: 50 copies of one real report (kept apart) are one finding with bounded evidence`, async () => {
    const report = readFixture('qemu-4.4-global-oom.log');
    const [single] = await run(rule, report);
    const many = await run(rule, report.repeat(50), undefined, true);
    assert.equal(many.length, 1);
    assert.equal(data(many[0]).reports, 50);
    assert.equal(many[0].incidents.length, 50);
    assert.ok(many[0].evidence.length <= single.evidence.length + 1, `${many[0].evidence.length} evidence lines`);
  });
}

// Different stories stay apart: another holder, another program, another zone below min.
test('where-memory-went: the tmpfs run (shmem the holder) is not told with the hog\'s four', async () => {
  const a = await analyze([{ name: FLAP, text: flap }, { name: 't', text: readFixture('qemu-6.1-tmpfs-full-oom.log') }], { rules: [whereMemoryWent] });
  // (the shmem finding is a warning, so it is listed first)
  const fs = [...a.findings].sort((x, y) => x.incidents[0] - y.incidents[0]);
  assert.deepEqual(fs.map((f) => [f.incidents, data(f).dominant[0]]), [[[0, 1, 2, 3], 'anon'], [[4], 'shmem']]);
});

test('program-memory: eight leakers are not told with the four hogs', async () => {
  const a = await analyze([{ name: FLAP, text: flap }, { name: 'l', text: readFixture('qemu-6.1-leak-instances-oom.log') }], { rules: [programMemory] });
  assert.deepEqual(a.findings.map((f) => [f.incidents, data(f).program]), [[[0, 1, 2, 3], 'hog'], [[4], 'leaker']]);
});

test('zone-below-min: DMA below min (swap run) is not told with DMA32 below min', async () => {
  const a = await analyze([{ name: FLAP, text: flap }, { name: 's', text: readFixture('qemu-6.1-swap-full-oom.log') }], { rules: [zoneBelowMin] });
  assert.deepEqual(a.findings.map((f) => [f.incidents, data(f).zone]), [[[0, 1, 2, 3], 'DMA32'], [[4], 'DMA']]);
});
