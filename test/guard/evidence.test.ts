import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pruneBundles, writeEvidence, type DecisionRecord } from '../../src/guard/act/evidence.js';
import { replay } from '../../src/guard/detector.js';
import { MapFiles } from '../../src/guard/files.js';
import { parseJsonl } from '../../src/guard/series.js';
import { readBundle } from '../../src/read/bundle.js';
import { readFixture } from '../helpers.js';

describe('evidence bundle', () => {
  const samples = parseJsonl(readFixture('guard-host-6.18-storm.jsonl')).samples;
  const [decision] = replay(samples);

  it('is a collect bundle with the decision, the series it was taken on, /proc and the cgroup files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-guard-ev-'));
    try {
      const files = new MapFiles({
        '/proc/meminfo': readFixture('host-6.18-meminfo-under-pressure.txt'), '/proc/pressure/memory': readFixture('host-6.18-pressure-memory-under-pressure.txt'),
        '/sys/fs/cgroup/memory/mt-guard-rec/memory.stat': readFixture('host-6.18-memcg-v1-under-pressure.memory.stat.txt'),
      });
      const record: DecisionRecord = { schema: 'memtriage/guard-decision@1', mode: 'dry-run', plannedAction: 'none', decision, choice: null };
      const { path } = await writeEvidence(dir, files, { cgroup: '/mt-guard-rec', v1Dir: '/sys/fs/cgroup/memory/mt-guard-rec', v2Dir: null }, record, samples);
      assert.match(path, /memtriage-guard-.*-mt-guard-rec\.tar\.gz$/);
      assert.deepEqual(readdirSync(dir), [path.split('/').pop()], 'no staging or temp file left');
      const members = await readBundle(path);
      assert.ok(members, 'readBundle recognises it');
      const names = members!.map((m) => m.name);
      for (const n of ['guard/decision.json', 'guard/samples.jsonl', 'proc/meminfo', 'proc/pressure/memory', 'sys/fs/cgroup/memory/mt-guard-rec/memory.stat']) assert.ok(names.includes(n), n);
      const back = JSON.parse(members!.find((m) => m.name === 'guard/decision.json')!.text) as DecisionRecord;
      assert.equal(back.decision.majorFaultsPerSecHeld, decision.majorFaultsPerSecHeld);
      const series = parseJsonl(members!.find((m) => m.name === 'guard/samples.jsonl')!.text).samples;
      assert.equal(series.length, samples.length);
      // The bundle's series replays to the same decision.
      assert.equal(replay(series)[0].tMs, decision.tMs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps only the newest bundles', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-guard-ev-'));
    try {
      for (const s of ['20261201-100000', '20261201-100100', '20261201-100200']) writeFileSync(join(dir, `memtriage-guard-h-${s}-x.tar.gz`), '');
      writeFileSync(join(dir, 'other.tar.gz'), '');
      await pruneBundles(dir, 2);
      assert.deepEqual(readdirSync(dir).sort(), ['memtriage-guard-h-20261201-100100-x.tar.gz', 'memtriage-guard-h-20261201-100200-x.tar.gz', 'other.tar.gz']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
