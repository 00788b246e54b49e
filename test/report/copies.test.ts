import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze, render } from '../../src/index.js';
import type { OomKillIncident } from '../../src/model/kernel-incidents.js';
import { readFixture } from '../helpers.js';

// The places of a record's copies in the text and Markdown reports: the first 10, then "and N
// more" (the JSON keeps all). Input: the real memcg OOM report of this host, repeated verbatim
// (a console capture that looped over `dmesg`): 1 incident with n − 1 copies.
const OOM = 'host-6.18-memcg-v1-oom.dmesg.log';
const lines = readFixture(OOM).split('\n').length - 1;

async function report(n: number) {
  const a = await analyze([{ name: 'loop.log', text: readFixture(OOM).repeat(n) }]);
  return { a, text: render(a, 'text'), md: render(a, 'md'), json: JSON.parse(render(a, 'json')) };
}

test('10 copies: every place shown, nothing counted', async () => {
  const { a, text, md } = await report(11);
  assert.equal(a.incidents.length, 1);
  assert.equal((a.incidents[0] as OomKillIncident).copies?.length, 10);
  const last = `loop.log:${10 * lines + 5}-${10 * lines + 85}`;
  assert.match(text, new RegExp(`same record also at loop\\.log:${lines + 5}-${lines + 85}, .*${last}\\n`));
  assert.doesNotMatch(text, /more\n/);
  assert.match(md, new RegExp(`- same record also at .*${last}\\n`));
});

test('11 copies: the first 10 places, then "and 1 more"; the JSON keeps all 11', async () => {
  const { text, md, json } = await report(12);
  assert.match(text, new RegExp(`same record also at (loop\\.log:\\d+-\\d+, ){9}loop\\.log:${10 * lines + 5}-${10 * lines + 85} and 1 more\\n`));
  assert.match(md, /- same record also at (loop\.log:\d+-\d+, ){9}loop\.log:\d+-\d+ and 1 more\n/);
  assert.equal(json.incidents[0].copies.length, 11);
  assert.equal(json.incidents[0].copies[10].line, 11 * lines + 5);
});
