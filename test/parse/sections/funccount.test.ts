import assert from 'node:assert/strict';
import { test } from 'node:test';
import { funccount } from '../../../src/parse/sections/funccount.js';
import { readFixture, toLines } from '../../helpers.js';
import { assertSilent, assertSurvivesGarbage, only, sections } from './run-section.js';

test('seed 001 funccount \'nv*\': pattern from the command line, every row exact', () => {
  const { incident: f, problems } = only(funccount, 'seed001-5.10-funccount.txt', 'funccount_snapshot');
  assert.deepEqual([f.command, f.pattern, f.line, f.endLine, f.source], ["./funccount 'nv*'", 'nv*', 1, 88, 'funccount']);
  // One row per line after the command and the header.
  const rows = readFixture('seed001-5.10-funccount.txt').split('\n').slice(2).filter((l) => l.trim() !== '');
  assert.equal(f.functions.length, rows.length);
  const by = (n: string) => f.functions.find((r) => r.name === n);
  assert.deepEqual(by('nv_alloc_pages'), { name: 'nv_alloc_pages', count: 8191, line: 74 });
  assert.equal(by('nvos_create_alloc')?.count, 8191);
  assert.equal(by('nv_get_kern_phys_address')?.count, 8250125);
  // perf-tools cut names to 30 columns: kept as printed.
  assert.equal(by('nv_is_uuid_in_gpu_exclusion_li')?.count, 24);
  assert.deepEqual(problems, []);
});

test('the table alone (no command line): pattern null', () => {
  // The header and the first two rows of the seed's table.
  const table = toLines(readFixture('seed001-5.10-funccount.txt')).slice(1, 4);
  const [s] = sections(funccount, table);
  const f = s.incidents[0];
  assert.ok(f?.kind === 'funccount_snapshot');
  assert.deepEqual([f.command, f.pattern, f.functions.map((r) => r.name)], [null, null, ['nv_drm_fence_supported_ioctl', 'nvidia_dev_get']]);
});

test('silent on other formats and kernel logs', () => {
  assertSilent(funccount, ['seed001-5.10-kprobe-trace.txt', 'seed001-5.10-slabtop.txt', 'seed001-5.10-meminfo.txt',
    'seed002-4.9-pidstat-u.txt', 'host-6.18-vmstat-proc.txt', 'host-6.18-memcg-v1-oom.memory.stat.txt',
    'host-6.18-ps-aux.txt', 'qemu-6.1-global-oom.log', 'seed000-4.15-warning-nvme.log']);
  assertSurvivesGarbage(funccount, 'seed001-5.10-funccount.txt');
});
