import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { analyze } from '../../src/index.js';
import { BundleWriter } from '../../src/live/bundle-writer.js';
import { BUNDLE_SCHEMA, MAX_MEMBER_BYTES } from '../../src/read/bundle.js';
import { readFixture } from '../helpers.js';

// Issue 10 item 1: nothing in a bundle is skipped silently. Bundles are built with the real
// BundleWriter from real fixtures.
let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'mt-bundle-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(name: string, members: [string, string][]): Promise<string> {
  const out = join(dir, name);
  const w = new BundleWriter(out);
  await w.start();
  for (const [n, t] of members) await w.add(n, t);
  await w.finish(JSON.stringify({ schema: BUNDLE_SCHEMA, members: w.members() }));
  return out;
}

test('a member over the size limit is named as a problem, the others analyzed', async () => {
  const log = readFixture('host-6.18-memcg-v1-oom.kmsg.log');
  // Repeating the real kmsg log past the limit (a bundle from a box with a huge ring buffer).
  const big = log.repeat(Math.ceil((MAX_MEMBER_BYTES + 1) / log.length));
  const path = await bundle('big.tar.gz', [['proc/meminfo', readFixture('host-6.18-meminfo.txt')], ['kmsg.log', big]]);
  const a = await analyze([{ path }], { rules: [] });
  assert.ok(a.inputs.some((i) => i.path.endsWith(':proc/meminfo')));
  assert.ok(a.problems.some((p) => /member kmsg\.log is \d+ bytes, over the 64 MiB .* it was not analyzed/.test(p.message)), JSON.stringify(a.problems));
});

test('a truncated bundle keeps the members before the break and says it broke off', async () => {
  const path = await bundle('whole.tar.gz', [['proc/meminfo', readFixture('host-6.18-meminfo.txt')], ['proc/slabinfo', readFixture('host-6.18-slabinfo.txt')], ['kmsg.log', readFixture('host-6.18-memcg-v1-oom.kmsg.log')]]);
  const bytes = readFileSync(path);
  const cut = join(dir, 'cut.tar.gz');
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
  const a = await analyze([{ path: cut }], { rules: [] });
  assert.ok(a.problems.some((p) => /the bundle breaks off after \d+ members .*truncated or damaged/.test(p.message)), JSON.stringify(a.problems));
  assert.ok(a.inputs.some((i) => i.path.endsWith(':proc/meminfo')), 'the first member is still analyzed');
  const whole = await analyze([{ path }], { rules: [] });
  assert.deepEqual(whole.problems, []);
});
