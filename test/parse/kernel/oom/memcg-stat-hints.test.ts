import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MemcgBuilder, readStatLine } from '../../../../src/parse/kernel/oom/memcg-lines.js';
import { KernelLineAssembler } from '../../../../src/read/kernel-lines.js';
import { FIXTURES } from '../../../helpers.js';

// addStat first checks a line for the stat name read at its place last time (hintedValue), without
// STAT_LINE_RE. It must read every line as the pattern does (readStatLine), hint or not.

const fixtures = readdirSync(FIXTURES).filter((n) => statSync(join(FIXTURES, n)).isFile() && /\.(log|txt)$/.test(n));

/** The memory.stat lists of every fixture: the messages after each "Memory cgroup stats for /…:" line. */
function statLists(): string[][] {
  const lists: string[][] = [];
  for (const name of fixtures) {
    const asm = new KernelLineAssembler(0);
    const msgs = readFileSync(join(FIXTURES, name), 'utf8').split('\n').flatMap((t, i) => asm.assemble(i + 1, t).map((l) => l.msg));
    msgs.forEach((m, i) => {
      if (!/Memory cgroup stats for [^:]*:\s*$/.test(m)) return;
      const list: string[] = [];
      for (let k = i + 1; k < msgs.length && readStatLine(msgs[k]); k++) list.push(msgs[k]);
      if (list.length > 0) lists.push(list);
    });
  }
  return lists;
}

/** The list through addStat, as a report reads it: its stats and where it stopped. */
function viaBuilder(lines: readonly string[]): { stats: Record<string, number>; read: number } {
  const b = new MemcgBuilder();
  assert.ok(b.add('Memory cgroup stats for /t:', 1));
  let read = 0;
  while (read < lines.length && b.addStat(lines[read])) read++;
  return { stats: b.result().stats, read };
}

/** The same by the pattern alone: a key met again keeps its place and takes the later value. */
function viaPattern(lines: readonly string[]): { stats: Record<string, number>; read: number } {
  const stats: Record<string, number> = {};
  let read = 0;
  for (; read < lines.length; read++) {
    const kv = readStatLine(lines[read]);
    if (!kv) break;
    stats[kv[0]] = kv[1];
  }
  return { stats, read };
}

function same(lines: readonly string[], what: string): void {
  const got = viaBuilder(lines);
  const want = viaPattern(lines);
  assert.deepEqual(got, want, what);
  assert.deepEqual(Object.keys(got.stats), Object.keys(want.stats), what);
}

test('memory.stat lines read with the last report\'s names give what the pattern reads, changed or not', () => {
  const lists = statLists();
  assert.ok(lists.length >= 5, `lists: ${lists.length}`);
  for (const list of lists) {
    same(list, 'first');
    same(list, 'again (every name hinted)');
    same([...list].reverse(), 'names at other places');
    // Each line changed where the hint's character check could go wrong; the pattern decides.
    list.forEach((l, i) => {
      const variants = [
        l + '\t', l + ' \u00a0', '\u00a0' + l, '\t' + l, l.replace(/ (\d+)/, '  $1'), l.replace(/ \d+/, ' '), l.replace(/ \d+/, ' 12x'),
        l.replace(/^(\s*[a-z_]+)/, '$1_x'), l.replace(/^(\s*)([a-z_]+)/, '$1x$2'), l.replace(/ (\d+)/, ' 0$1'), l.replace(/ (\d+)/, ' 99999999999999999999999'),
        // not a space between name and value: the hint's own check must turn these away
        l.replace(/ (\d+)/, '\t$1'), l.replace(/ (\d+)/, '_$1'),
      ];
      for (const v of variants) {
        same(list, 'hints set');
        same([...list.slice(0, i), v, ...list.slice(i + 1)], JSON.stringify(v));
      }
    });
  }
});
