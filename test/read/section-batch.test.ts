import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { analyze } from '../../src/index.js';
import { RULES } from '../../src/rules/index.js';
import { seedPath } from '../helpers.js';

// Issue 10 item 4: a /proc section never split by the 20,000-line section batch. Seed 001's
// meminfo placed after n lines of prose must give the same numbers as seed 001 alone.
const seed = seedPath('001');

/** Prose with no kernel prefix, no kernel message and no section in it (an article's text, not log output). */
function prose(n: number): string {
  const out: string[] = [];
  for (let i = 1; i <= n; i++) out.push(`Paragraph ${i} of the write-up: the node went NotReady again and we looked at it for a while.`);
  return out.join('\n') + '\n';
}

const unaccounted = async (text: string) => {
  const a = await analyze([{ name: 'paste.txt', text }], { rules: RULES });
  return (a.findings.find((f) => f.rule === 'unaccounted-memory')?.data as { unaccountedKb: number } | undefined)?.unaccountedKb;
};

test('seed 001 after 19,767 / 19,997 / 39,767 lines of prose (its meminfo across a batch boundary): the same unaccounted memory as alone', { skip: seed ? false : 'the seeds are not beside the repo (../shared/seeds)' }, async () => {
  const text = readFileSync(seed!, 'utf8');
  const alone = await unaccounted(text);
  assert.equal(alone, 35413640);
  // Seed 001's meminfo starts 230 lines in: after 19,767 lines it starts at batch line 19,997.
  for (const n of [19_767, 19_997, 39_767]) assert.equal(await unaccounted(prose(n) + text), alone, `after ${n} lines`);
});
