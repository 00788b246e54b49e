import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Incident } from '../../src/model/incident.js';
import type { KernelIncident } from '../../src/model/kernel-incidents.js';
import { mergeCopies } from '../../src/parse/dedup.js';

/**
 * mergeCopies as first written: every kept incident of an identity compared with each new one,
 * in order. The indexed version (uptimes sorted per identity) must merge exactly the same pairs.
 */
function reference(incidents: readonly KernelIncident[]): KernelIncident[] {
  const identity = (i: KernelIncident): string => i.kind === 'oom_kill' ? JSON.stringify(['victim', i.victim.pid]) : i.kind === 'hung_task' ? JSON.stringify([i.comm, i.pid, i.seconds]) : '';
  const sameClock = (a: KernelIncident, b: KernelIncident): boolean | null => {
    const slackSec = a.kind === 'oom_kill' ? 5 : 0;
    if (a.uptimeSec != null && b.uptimeSec != null) return Math.abs(a.uptimeSec - b.uptimeSec) <= slackSec + 1e-6;
    const ta = a.time != null ? Date.parse(a.time) : NaN;
    const tb = b.time != null ? Date.parse(b.time) : NaN;
    if (!Number.isNaN(ta) && !Number.isNaN(tb)) return Math.abs(ta - tb) <= (slackSec + 2) * 1000;
    return null;
  };
  const firstByKey = new Map<string, KernelIncident[]>();
  const out: KernelIncident[] = [];
  const seq = new Map<KernelIncident, number>();
  const runOf = new Map<number, number>();
  let kept = 0;
  for (const k of incidents) {
    const key = k.kind + identity(k);
    const seen = firstByKey.get(key) ?? [];
    const same = seen.find((s) => {
      const clock = sameClock(s, k);
      return clock === true || (clock === null && (k.kind === 'oom_kill' || runOf.get(k.input) === seq.get(s)! - 1));
    });
    if (same) {
      const [keep, drop] = same.partial && !k.partial ? [k, same] : [same, k];
      keep.copies = [...(keep.copies ?? []), ...(drop.copies ?? []), { input: drop.input, line: drop.line, endLine: drop.endLine }];
      delete drop.copies;
      if (keep !== same) {
        out[out.indexOf(same)] = keep;
        seen[seen.indexOf(same)] = keep;
        seq.set(keep, seq.get(same)!);
      }
      runOf.set(k.input, seq.get(keep)!);
      continue;
    }
    seen.push(k);
    firstByKey.set(key, seen);
    seq.set(k, kept++);
    runOf.delete(k.input);
    out.push(k);
  }
  return out;
}

function randomIncidents(seed: number): KernelIncident[] {
  const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const pick = <T>(xs: T[]): T => xs[rand(xs.length)];
  const uptimes = [null, NaN, 10, 10.000001, 12, 14.9, 15, 15.0000005, 16, 21, 100];
  const times = [null, 'bad', '2026-12-01T10:00:00Z', '2026-12-01T10:00:01Z', '2026-12-01T10:00:05Z', '2026-12-01T10:00:09Z'];
  return Array.from({ length: rand(60) + 1 }, (_, n) => {
    const base = { id: n, input: rand(3), line: n * 10 + 1, endLine: n * 10 + 5, uptimeSec: pick(uptimes), time: pick(times), partial: rand(3) === 0 };
    return (rand(2) === 0
      ? { ...base, kind: 'oom_kill', victim: { pid: pick([1, 2]) }, trigger: {} }
      : { ...base, kind: 'hung_task', comm: 'kworker', pid: pick([7, 8]), seconds: 120 }) as unknown as KernelIncident;
  });
}

const summary = (xs: readonly Incident[]): unknown => xs.map((x) => [(x as unknown as { id: number }).id, x.copies?.map((c) => c.line)]);

test('copies merged by the uptime index are those the pairwise comparison merges (random clocks, partial copies, inputs)', () => {
  for (let round = 1; round <= 500; round++) {
    const a = mergeCopies(randomIncidents(round));
    const b = reference(randomIncidents(round));
    assert.deepEqual(summary(a), summary(b), `round ${round}`);
  }
});

test('repeats of one report 1 s apart stay apart; a copy with the same uptime merges into the first', () => {
  const xs = randomIncidents(1).slice(0, 0);
  for (let n = 0; n < 2000; n++) {
    xs.push({ kind: 'hung_task', id: n, input: 0, line: n + 1, endLine: n + 1, comm: 'a', pid: 1, seconds: 120, uptimeSec: n, time: null, partial: false } as unknown as KernelIncident);
  }
  xs.push({ ...xs[1500], id: 9999, line: 5000, endLine: 5001 } as unknown as KernelIncident);
  const out = mergeCopies(xs);
  assert.equal(out.length, 2000);
  assert.deepEqual(out[1500].copies, [{ input: 0, line: 5000, endLine: 5001 }]);
});
