import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pcstat } from '../../../src/parse/sections/pcstat.js';
import { assertSilent, assertSurvivesGarbage, only } from './run-section.js';

test('seed 001 residency table: kubelet 1.778 %, containerd 2.111 % cached', () => {
  const { incident: r, problems } = only(pcstat, 'seed001-5.10-pagecache-residency.txt', 'pagecache_residency');
  const kubelet = r.files.find((f) => f.path === '/usr/bin/kubelet');
  assert.deepEqual(kubelet && [kubelet.sizeBytes, kubelet.pages, kubelet.cachedPages, kubelet.percent, kubelet.line],
    [188908296, 46121, 820, 1.778, 5]);
  assert.equal(r.files.find((f) => f.path === '/usr/bin/containerd')?.percent, 2.111);
  assert.equal(r.files.length, 100);
  assert.equal(r.totals, null);
  assert.deepEqual(problems, []);
});

test('silent elsewhere; garbage', () => {
  assertSilent(pcstat, ['seed001-5.10-slabtop.txt', 'host-6.18-vmtouch-v.txt', 'seed001-5.10-meminfo.txt']);
  assertSurvivesGarbage(pcstat, 'seed001-5.10-pagecache-residency.txt');
});
