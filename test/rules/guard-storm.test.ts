import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guardStorm } from '../../src/rules/guard-storm.js';
import { evidenceText, only, runRule } from './run-rule.js';

describe('guard-storm', () => {
  it('fires on a real guard bundle: the storm, its numbers, the stall curve and what the guard did', async () => {
    const f = await only(guardStorm, ['guard-host-6.18-storm-bundle.tar.gz']);
    assert.equal(f.severity, 'critical');
    assert.match(f.title, /Thrash storm in cgroup \/mt-guard-rec: memory stall [\d.]+ % of a second, \d+ major faults\/s \(memtriage guard, dry-run\)/);
    assert.match(f.explanation, /with \d+ major faults\/s \(threshold 10\)/);
    assert.match(f.explanation, /used 299\.\d MiB of its 300\.0 MiB limit/);
    assert.match(f.explanation, /MemAvailable was .*\(earlyoom, nohang\) sees nothing wrong/);
    assert.match(f.explanation, /Memory stall per second over the last \d+ s of samples \(%\): [\d ]+/);
    assert.match(f.explanation, /dry-run: it only kept this evidence/);
    assert.match(evidenceText(f), /"reason": "stall-and-major-faults"/);
    assert.equal(f.incidents.length, 2, 'the decision and the series');
  });

  it('does not fire on the series alone, on /proc files or on kernel OOM logs', async () => {
    for (const names of [['guard-host-6.18-storm.jsonl'], ['host-6.18-meminfo-under-pressure.txt', 'host-6.18-pressure-memory-under-pressure.txt'], ['host-6.18-memcg-v1-oom.dmesg.log']]) {
      const { findings } = await runRule(guardStorm, names);
      assert.deepEqual(findings, [], names.join(' + '));
    }
  });
});
