import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, realpathSync } from 'node:fs';
import { defaultBudgetBytes, MAX_DEFAULT_BUDGET_BYTES, planLocks } from '../../../src/guard/lock/plan.js';
import { parseMaps, type DaemonMaps } from '../../../src/guard/lock/targets.js';

const MiB = 1024 * 1024;
const PAGE = 4096;

test('parseMaps on this process\'s real /proc/self/maps: the node binary and libc, no anonymous or special mappings', () => {
  const text = readFileSync('/proc/self/maps', 'utf8');
  const ranges = parseMaps(text);
  const paths = new Set(ranges.map((r) => r.path));
  assert.ok(paths.has(realpathSync(process.execPath)), [...paths].join('\n'));
  assert.ok([...paths].some((p) => /\/libc\.so\.6$|\/libc-[\d.]+\.so$/.test(p)));
  assert.ok(ranges.every((r) => r.path.startsWith('/') && r.inode > 0 && r.bytes > 0 && r.offset % PAGE === 0));
  assert.ok(!ranges.some((r) => /^\/(dev|memfd:)|\(deleted\)$/.test(r.path)));
});

const d = (name: string, pid: number, files: [string, number, number][]): DaemonMaps => ({
  name, pid, ranges: files.map(([path, offset, bytes], i) => ({ path, dev: '08:01', inode: 100 + path.length + i * 0, offset, bytes })),
});

test('planLocks: the guard first, then the daemons in order; a shared library counts once; ranges merged', () => {
  const daemons = [
    d('sshd', 20, [['/usr/sbin/sshd', 0, 1 * MiB], ['/lib/libc.so.6', 0, 2 * MiB]]),
    d('memtriage', 30, [['/usr/bin/node', 0, 3 * MiB], ['/lib/libc.so.6', MiB, 2 * MiB]]),
  ];
  const p = planLocks(daemons, ['sshd'], 100 * MiB, PAGE);
  assert.deepEqual(p.items.map((i) => i.path), ['/usr/bin/node', '/lib/libc.so.6', '/usr/sbin/sshd']);
  const libc = p.items.find((i) => i.path === '/lib/libc.so.6')!;
  assert.deepEqual(libc.ranges, [{ offset: 0, bytes: 3 * MiB }]);
  assert.deepEqual(libc.daemons, ['memtriage', 'sshd']);
  assert.equal(p.items.reduce((a, i) => a + i.bytes, 0), 7 * MiB);
});

test('planLocks: budget on both sides; what does not fit is skipped with the reason, smaller files after it still fit', () => {
  const daemons = [d('sshd', 1, [['/a', 0, 4 * MiB], ['/b', 0, 8 * MiB], ['/c', 0, 2 * MiB]])];
  assert.deepEqual(planLocks(daemons, ['sshd'], 14 * MiB, PAGE).skipped, []);
  const cut = planLocks(daemons, ['sshd'], 14 * MiB - PAGE, PAGE);
  assert.deepEqual(cut.items.map((i) => i.path), ['/a', '/b']);
  assert.deepEqual(cut.skipped.map((s) => s.path), ['/c']);
  assert.match(cut.skipped[0].reason, /over budget/);
  const gap = planLocks(daemons, ['sshd'], 10 * MiB, PAGE);
  assert.deepEqual(gap.items.map((i) => i.path), ['/a', '/c']);
  assert.deepEqual(gap.skipped.map((s) => s.path), ['/b']);
  // A range is rounded up to whole pages before it is counted.
  assert.equal(planLocks([d('sshd', 1, [['/x', 0, 1]])], ['sshd'], PAGE, PAGE).items[0].bytes, PAGE);
});

test('default budget: the smaller of 256 MiB and 5 % of RAM (the two meet at 5 GiB), whole pages', () => {
  assert.equal(defaultBudgetBytes(24 * 1024 * MiB, PAGE), MAX_DEFAULT_BUDGET_BYTES);
  assert.equal(defaultBudgetBytes(5120 * MiB, PAGE), 256 * MiB);
  assert.equal(defaultBudgetBytes(5120 * MiB - 20 * PAGE, PAGE), 256 * MiB - PAGE);
  assert.equal(defaultBudgetBytes(1000 * MiB, PAGE) % PAGE, 0);
});
