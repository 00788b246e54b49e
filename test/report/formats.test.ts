import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from '../../src/report/index.js';
import { analyzeFixtures } from '../helpers.js';

test('text: timeline and details name the victim, zone and task table', async () => {
  const a = await analyzeFixtures(['seed003-4.9-oom-folded-one-line.log']);
  const t = render(a, 'text');
  assert.match(t, /OOM kill: killed tor \(pid 1439\), anon-rss 366\.2 MiB/);
  assert.match(t, /node 0 DMA32: free 44288 kB, min 44336 .* BELOW MIN/);
  assert.match(t, /tasks: 14 listed, rss sum 135917 pages \(530\.9 MiB\)/);
  assert.doesNotMatch(t, /\x1b\[/, 'no colour unless asked');
  assert.match(render(a, 'text', { color: true }), /\x1b\[/);
});

test('json: schema, inputs, incidents; memInfoReport does not repeat zones', async () => {
  const a = await analyzeFixtures(['seed003-4.9-oom-folded-one-line.log']);
  const j = JSON.parse(render(a, 'json'));
  assert.equal(j.schema, 'memtriage/analysis@1');
  assert.deepEqual(j.inputs[0], { path: a.inputs[0].path, type: 'kernel-log', format: 'syslog', lines: 1, packing: 'plain' });
  assert.equal(j.incidents[0].zones.length, 2);
  assert.equal(j.incidents[0].memInfoReport.zones, undefined);
  assert.equal(j.incidents[0].memInfoReport.ramPages, 262010);
});

test('md: a table row per incident, pipes escaped', async () => {
  const a = await analyzeFixtures(['host-6.18-hung-task-fuse.dmesg.log']);
  const md = render(a, 'md');
  assert.match(md, /^## memtriage report/);
  assert.match(md, /\| 2 \| 249\.709 s after boot \| host-6\.18-hung-task-fuse\.dmesg\.log:\d+ \| hung task: stat \(pid 3456\) blocked > 10 s/);
});
