import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readProcesses } from '../../src/live/processes.js';
import { FixtureReader } from '../../src/live/reader.js';
import { gatherWhere } from '../../src/live/where.js';
import { fixturePath } from '../helpers.js';

// Issue 10 item 4: `where` read only the lowest 4,000 pids and said nothing. The captured host
// tree, with its real pid 16032 copied to 4,500 more pid directories (a busy node's process count).
let root = '';
before(() => {
  root = mkdtempSync(join(tmpdir(), 'mt-procs-'));
  cpSync(fixturePath('proc-tree-host-6.18'), root, { recursive: true });
  for (let pid = 20_000; pid < 24_500; pid++) {
    mkdirSync(join(root, 'proc', String(pid)));
    cpSync(join(root, 'proc', '16032'), join(root, 'proc', String(pid)), { recursive: true });
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

test('readProcesses reads every process, not the lowest 4,000', async () => {
  const procs = await readProcesses(new FixtureReader(root));
  assert.equal(procs.length, 4_503);
  assert.equal(procs[procs.length - 1].pid, 24_499);
});

test('a limit is said, with how many were skipped, in where\'s notes', async () => {
  let said: [number, number] | null = null;
  const procs = await readProcesses(new FixtureReader(root), { limit: 4000, skipped: (n, total) => { said = [n, total]; } });
  assert.equal(procs.length, 4000);
  assert.deepEqual(said, [503, 4503]);
  const b = await gatherWhere(new FixtureReader(root), { residency: null, maxProcesses: 4000 });
  assert.ok(b.notes.some((n) => n.startsWith('503 of 4503 processes not read (--max-processes 4000)')), b.notes.join('\n'));
  const all = await gatherWhere(new FixtureReader(root), { residency: null });
  assert.ok(!all.notes.some((n) => n.includes('processes not read (')), all.notes.join('\n'));
});
