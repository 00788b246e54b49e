import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cgroupMounts, cgroupStat } from '../../src/live/cgroups.js';
import { memoryMounts, parseMapsFiles, parseMountinfo } from '../../src/live/proc-text.js';
import { findSuspects } from '../../src/live/suspects.js';
import { FIXTURES } from '../helpers.js';

const TREE = join(FIXTURES, 'proc-tree-host-6.18');
const read = (p: string) => readFileSync(join(TREE, p), 'utf8');
// The `sleep 300` the capture script started (see the tree's README).
const sleepPid = '16035';

test('maps: one entry per file (dev:inode), no anonymous or pseudo mappings', () => {
  const files = parseMapsFiles(read(`proc/${sleepPid}/maps`));
  assert.ok(files.length > 0);
  assert.ok(files.some((f) => /\/sleep$/.test(f.path)));
  assert.ok(files.some((f) => /libc\.so/.test(f.path)));
  assert.equal(new Set(files.map((f) => f.key)).size, files.length);
  assert.ok(files.every((f) => f.path.startsWith('/') && !f.path.startsWith('/dev/') && !f.key.endsWith(':0')));
});

test('mountinfo: cgroup hierarchies found; an over-mounted /dev/shm counted once', () => {
  const mounts = parseMountinfo(read('proc/self/mountinfo'));
  assert.deepEqual(cgroupMounts(mounts), { v1Memory: '/sys/fs/cgroup/memory', v2: '/sys/fs/cgroup/unified' });
  const mem = memoryMounts(mounts);
  const shm = mem.filter((m) => m.mountPoint === '/dev/shm');
  assert.equal(shm.length, 1);
  assert.equal(shm[0].dev, '0:27', 'the later mount is the one statfs sees');
  assert.ok(!mem.some((m) => m.fsType === 'cgroup'));
});

test('memory.stat v1: own rss and hierarchical total_rss', () => {
  const root = cgroupStat(1, '/', read('sys/fs/cgroup/memory/memory.stat'))!;
  assert.ok(root.totalAnonKb >= root.anonKb);
  assert.equal(root.anonKb, Number(/^rss (\d+)$/m.exec(read('sys/fs/cgroup/memory/memory.stat'))![1]) / 1024);
});

test('suspects: socket buffers from sockstat; nothing invented when no driver is loaded', () => {
  const s = findSuspects({ modules: null, vmstat: {}, meminfoCounters: {}, arcstats: null, nvidiaGpus: null, slabCaches: [], sockstat: read('proc/net/sockstat'), pageSizeKb: 4 });
  assert.deepEqual(s.map((x) => x.name), ['socket buffers']);
  assert.equal(s[0].kb, 281 * 4);
});
