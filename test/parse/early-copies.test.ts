import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeLines } from '../../src/analyze-input.js';
import { analyze } from '../../src/index.js';
import type { KernelIncident, OomKillIncident } from '../../src/model/kernel-incidents.js';
import { mergeCopies } from '../../src/parse/dedup.js';
import { EarlyCopies } from '../../src/parse/early-copies.js';
import { LineStore } from '../../src/read/line-store.js';
import { readFixture } from '../helpers.js';

// Copies of an OOM report shed as they are read (src/parse/early-copies.ts). Inputs: the bench's
// real cgroup v1 OOM report (host-6.18-memcg-v1-oom.dmesg.log) repeated, and a real console
// capture that holds each record three times (qemu-6.1-copies-console-dmesg-syslog.log).

const OOM = 'host-6.18-memcg-v1-oom.dmesg.log';

async function* chunksOf(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

async function read(text: string, keepCopies: boolean) {
  const store = new LineStore();
  const r = await analyzeLines('x', 0, chunksOf(text), store, { keepCopies });
  return { store, ooms: r.incidents.filter((i): i is OomKillIncident => i.kind === 'oom_kill') };
}

test('a report read again at the same instant is shed: a stub without payload, its lines not kept as evidence', async () => {
  const text = readFixture(OOM);
  const { store, ooms } = await read(text.repeat(3), false);
  assert.equal(ooms.length, 3);
  const [first, ...copies] = ooms;
  assert.ok(first.callTrace.length > 10 && first.processTable?.rows === 1 && first.memcgInfo?.counters.length === 3);
  assert.match(store.get(0, first.line) ?? '', /invoked oom-killer/);
  for (const c of copies) {
    assert.deepEqual([c.callTrace, c.processTable, c.memcgInfo, c.victims], [[], null, null, []]);
    assert.deepEqual([c.uptimeSec, c.victim.pid, c.victim.comm, c.partial], [first.uptimeSec, 2822, 'python3', false]);
    assert.equal(store.get(0, c.line), null);
    assert.equal(store.get(0, c.victim.line!), null);
  }
});

test('with keepCopies every copy stays whole, with its lines', async () => {
  const { store, ooms } = await read(readFixture(OOM).repeat(3), true);
  assert.equal(ooms.length, 3);
  for (const c of ooms) {
    assert.ok(c.callTrace.length > 10 && c.processTable != null && c.memcgInfo != null);
    assert.match(store.get(0, c.line) ?? '', /invoked oom-killer/);
  }
});

test('shedding early changes no analysis: incidents as dedup makes them from whole copies, evidence quoted', async () => {
  // Seed 003's folded report four times on one line, as a paste with its newlines lost.
  const folded = readFixture('seed003-4.9-oom-folded-one-line.log').trimEnd();
  for (const [name, text] of [[OOM, readFixture(OOM).repeat(4)], ['copies', readFixture('qemu-6.1-copies-console-dmesg-syslog.log')],
    ['folded copies', `${folded} ${folded} ${folded} ${folded}\n`]]) {
    const shed = await analyze([{ name, text }]);
    const whole = await analyze([{ name, text }], { keepCopies: true });
    assert.deepEqual(shed.incidents, mergeCopies(whole.incidents), name);
    assert.ok(shed.findings.length > 0 && shed.findings.every((f) => f.evidence.every((e) => e.text !== '')), name);
  }
});

test('the console capture: the dmesg copy (same uptime) is shed, the syslog copy is too, the first stays whole', async () => {
  const { ooms } = await read(readFixture('qemu-6.1-copies-console-dmesg-syslog.log'), false);
  const kill = ooms.filter((o) => o.uptimeSec === ooms[0].uptimeSec);
  assert.deepEqual(kill.map((o) => [o.line, o.callTrace.length > 0]), [[3, true], [555, false], [1123, false]]);
});

/** Two whole reports of the same instant, as parsed (the second as a fresh object). */
async function pair(): Promise<[OomKillIncident, OomKillIncident]> {
  const { ooms } = await read(readFixture(OOM).repeat(2), true);
  return [ooms[0], ooms[1]];
}

test('thresholds: same uptime to the microsecond and later line → shed; otherwise kept whole', async () => {
  const cases: [string, (a: OomKillIncident, b: OomKillIncident) => void, boolean][] = [
    ['same instant', () => undefined, true],
    ['1 µs later (dedup may merge it; not certain here)', (_a, b) => { b.uptimeSec! += 1e-6; }, false],
    ['1 µs earlier', (_a, b) => { b.uptimeSec! -= 1e-6; }, false],
    ['the first is cut off (dedup would keep the whole second)', (a) => { a.partial = true; }, false],
    ['the second is cut off, the first whole', (_a, b) => { b.partial = true; }, true],
    ['the second has no "Killed process" line (panic_on_oom may mark it)', (_a, b) => { b.victim.line = null; }, false],
    ['the second has no kernel clock', (_a, b) => { b.uptimeSec = null; }, false],
    ['another victim pid', (_a, b) => { b.victim.pid = 2823; }, false],
    ['the second is printed before the first', (a, b) => { b.line = a.line - 1; }, false],
    ['the second on the same line, read after it (a folded line of copies)', (a, b) => { b.line = a.line; }, true],
  ];
  for (const [name, change, shed] of cases) {
    const [a, b] = await pair();
    change(a, b);
    const early = new EarlyCopies();
    assert.equal(early.shed(a), null, name);
    const stub = early.shed(b);
    assert.equal(stub != null, shed, name);
    if (stub) assert.equal(mergeCopies([a, stub] as KernelIncident[]).length, 1, name);
  }
});

test('copies folded onto one line are shed too, all but the first', async () => {
  const folded = readFixture('seed003-4.9-oom-folded-one-line.log').trimEnd();
  const { ooms } = await read(`${folded} ${folded} ${folded}\n`, false);
  assert.deepEqual(ooms.map((o) => [o.line, o.callTrace.length > 0]), [[1, true], [1, false], [1, false]]);
});
