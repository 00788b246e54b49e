/**
 * Captures, verbatim, the files the guard's sampler reads, every 100 ms, from a lab cgroup
 * (test/guard/lab/harness.ts) while it is quiet and then as a storm starts (root):
 *   test/fixtures/guard-host-6.18-onset-files.jsonl
 * Line 1: {"static": {name: text}} (limit, oom_control, io.pressure, meminfo: read once);
 * then one line per tick: {"tMs": monotonic ms, "texts": {name: text}} with the cgroup's
 * memory.pressure (cgroup2 twin), memory.stat and memory.usage_in_bytes (v1) and the host's
 * /proc/pressure/memory and /proc/vmstat. 15 ticks with the daemon alone, then the hog starts
 * (270 MiB plateau in the 300 MiB cgroup) and 25 more ticks. The sampler tests replay these texts
 * tick by tick to check when the quiet-tick saving reads the stat files.
 * Run: npx tsc -p . && node dist/bench/guard-capture-files.js
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../test/helpers.js';
import { Lab, labUnsupported, sleep } from '../test/guard/lab/harness.js';

async function main(): Promise<void> {
  const why = labUnsupported();
  if (why) throw new Error(`cannot capture: ${why}`);
  const lab = new Lab('mt-guard-cap');
  if (!lab.v1Dir) throw new Error('this capture is of the hybrid layout (v1 memory controller + cgroup2 twin)');
  const lines: string[] = [];
  try {
    await lab.start();
    lab.startDaemon();
    await sleep(5000);
    const read = (p: string) => readFileSync(p, 'latin1');
    lines.push(JSON.stringify({
      static: {
        'memory.limit_in_bytes': read(`${lab.v1Dir}/memory.limit_in_bytes`), 'memory.oom_control': read(`${lab.v1Dir}/memory.oom_control`),
        'io.pressure': read(`${lab.v2Dir}/io.pressure`), '/proc/pressure/io': read('/proc/pressure/io'), '/proc/meminfo': read('/proc/meminfo'),
      },
    }));
    let next = performance.now();
    for (let i = 0; i < 40; i++) {
      if (i === 15) lab.startHog(270);
      const tMs = performance.timeOrigin + performance.now();
      lines.push(JSON.stringify({
        tMs, texts: {
          'memory.pressure': read(`${lab.v2Dir}/memory.pressure`), 'memory.stat': read(`${lab.v1Dir}/memory.stat`),
          'memory.usage_in_bytes': read(`${lab.v1Dir}/memory.usage_in_bytes`), '/proc/pressure/memory': read('/proc/pressure/memory'), '/proc/vmstat': read('/proc/vmstat'),
        },
      }));
      next += 100;
      await sleep(Math.max(0, next - performance.now()));
    }
  } finally {
    await lab.cleanup();
  }
  const out = join(FIXTURES, 'guard-host-6.18-onset-files.jsonl');
  writeFileSync(out, lines.join('\n') + '\n');
  process.stdout.write(`${out}: ${lines.length - 1} ticks\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
