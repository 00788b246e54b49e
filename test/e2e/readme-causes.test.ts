import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze, render } from '../../src/index.js';
import { REPO_ROOT, fixturePath } from '../helpers.js';

// Issue 7: the README's "Causes memtriage recognises" table quotes memtriage's own output on real
// fixtures. Each quote here must be in that table AND in the text report of its fixtures, so the
// README cannot drift from what the tool prints. A new row without an entry here fails the last test.
const QUOTES: [string, string[]][] = [
  ['33.8 GiB of 60.7 GiB (55.7 %) is held outside every memory counter', ['seed001-5.10-meminfo.txt']],
  ['Most memory was held by huge-page pool 360.0 MiB (78.7 %): 180 × 2.0 MiB pages on node 0, 180 of them free', ['qemu-6.1-hugetlb-pool-oom.log']],
  ['The huge-page pool holds 360.0 MiB (78.7 %), 360.0 MiB of it free (how much of that a mapping has reserved, the input does not say), out of reach of ordinary allocations', ['qemu-6.1-hugetlb-pool-oom.log']],
  ['tmpfs or shared memory holds 418.9 MiB (91.6 %); killing processes does not free it', ['qemu-6.1-tmpfs-full-oom.log']],
  ['Unreclaimable kernel slab holds 419.4 MiB (91.7 %) of 428.2 MiB slab', ['qemu-6.1-slab-msgmsg-oom.log']],
  ['Page tables hold 403.0 MiB (88.1 %)', ['qemu-6.1-pagetables-fork-oom.log']],
  ['9 instances of leaker held 405.8 MiB (88.8 % of memory): one program\'s copies together', ['qemu-6.1-leak-instances-oom.log']],
  ['Swap was full: 0 KiB of 48.0 MiB free', ['qemu-6.1-swap-full-oom.log']],
  ['Strict overcommit (vm.overcommit_memory = 2) refused memory to hog: committed 222.3 MiB of a 228.6 MiB limit', ['qemu-6.1-overcommit-strict.sysctl.txt', 'qemu-6.1-overcommit-strict.hog-stderr.txt', 'qemu-6.1-overcommit-strict.meminfo.txt']],
  ['Strict overcommit (vm.overcommit_memory = 2) refused memory to java', ['qemu-6.1-jvm-overcommit-strict.sysctl.txt', 'qemu-6.1-jvm-overcommit-strict.xms.log', 'qemu-6.1-jvm-overcommit-strict.meminfo.txt']],
  ['Strict overcommit (vm.overcommit_memory = 2, told by the size refused) refused memory to ocmap', ['qemu-6.12-ocmap-strict.log', 'qemu-6.12-ocmap-strict.meminfo.txt']],
  ['Zone DMA fell below its min watermark (1764 kB short): 244.5 MiB of its 247.5 MiB free was CMA, which this unmovable request may not use', ['qemu-6.1-arm64-cma-unmovable-oom.log']],
  ['Memory cgroup /mt7 hit its limit of 65536 kB (64.0 MiB); hog (pid 110) was killed', ['qemu-6.1-memcg-v1-file-oom.log']],
  ['Memory cgroup /mtshm hit its limit of 65536 kB (64.0 MiB); dd (pid 115) was killed', ['qemu-6.1-memcg-v2-shmem-oom.log']],
  ['Mostly shared memory (tmpfs, shm) (98.2 % of what it held)', ['qemu-6.1-memcg-v2-shmem-oom.log']],
  ['Swap (v2 memory.swap.max = 0): this cgroup may not swap at all', ['qemu-6.1-memcg-v2-shmem-oom.log']],
  ['7 blocked tasks wait on locks while dd (pid 117) is stuck allocating memory', ['qemu-6.1-sysrq-w-inode-lock-convoy-memcg.log']],
  ['The OOM killer was run by hand (order=-1, sysrq f), not by a failed allocation; it killed hog (pid 90)', ['qemu-6.1-sysrq-f-manual-oom.log']],
];

const flat = (s: string): string => s.replace(/\s+/g, ' ');
const section = (): string => {
  const md = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = md.indexOf('## Causes memtriage recognises');
  assert.ok(start >= 0, 'the README has its causes section');
  return md.slice(start, md.indexOf('\n## ', start + 3));
};

for (const [quote, inputs] of QUOTES) {
  test(`README cause line is real output: "${quote.slice(0, 60)}…"`, async () => {
    assert.ok(section().includes(`*${quote}`), 'quoted in the README table');
    const a = await analyze(inputs.map((n) => ({ path: fixturePath(n) })));
    assert.ok(flat(render(a, 'text')).includes(quote), `memtriage analyze ${inputs.join(' ')} prints it`);
  });
}

test('every quoted line of the causes table is checked above', () => {
  const rows = section().split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| cause') && !l.includes('the seed rules'));
  for (const row of rows) {
    const quotes = [...row.matchAll(/\*([^*]+)\*/g)].map((m) => m[1].replace(/ …$/, ''));
    assert.ok(quotes.length > 0, `row without a quote: ${row}`);
    for (const q of quotes) assert.ok(QUOTES.some(([k]) => k.startsWith(q) || q.startsWith(k)), `README quote not checked: ${q}`);
  }
});
