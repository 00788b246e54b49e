#!/usr/bin/env node
// Entry point: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

/**
 * A module of dist/, which `npm ci` (its prepare script) and `npm run build` write: when it is not
 * there (a clone never built, a build that failed half-way), say so and what to do, instead of
 * the module loader's stack trace.
 */
async function built(path) {
  try {
    return await import(path);
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || typeof e.url !== 'string' || !e.url.includes('/dist/')) throw e;
    const root = fileURLToPath(new URL('..', import.meta.url));
    process.stderr.write(`memtriage: ${fileURLToPath(e.url)} is missing: this copy of memtriage is not built. Run "npm ci" (or "npm run build") in ${root}\n`);
    process.exit(2);
  }
}

const { childEnv, HEAP_FLAGS, wantsHeapFlags } = await built('../dist/src/cli/heap-flags.js');
const args = process.argv.slice(2);

/**
 * A big analyze runs in a node started with HEAP_FLAGS (src/cli/heap-flags.ts: the young
 * generation is sized at start-up only). This process only waits: same stdio, its exit code,
 * signals passed on. null when the child could not be started (then the analyze runs here).
 */
function runWithHeapFlags() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, ...HEAP_FLAGS, fileURLToPath(import.meta.url), ...args], { stdio: 'inherit', env: childEnv(process.env) });
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const pass = (sig) => child.kill(sig);
    child.on('error', () => resolve(null));
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, pass);
      resolve({ code, signal });
    });
    for (const s of signals) process.on(s, pass);
  });
}

const child = wantsHeapFlags(args, process.execArgv) ? await runWithHeapFlags() : null;
if (child?.signal) process.kill(process.pid, child.signal);
else if (child) process.exitCode = child.code ?? 1;
else {
  // A smaller analyze: the old generation kept within 20 % of what was live (V8 lets it reach
  // 2–3×), a setting V8 reads at each collection. Not for the long-running guard, whose CPU
  // overhead is measured with V8's defaults.
  if (args[0] !== 'guard' && !process.execArgv.some((a) => /^--heap[-_]growing[-_]percent/.test(a))) setFlagsFromString('--heap-growing-percent=20');
  // The optimizing compiler inlines less (200 bytes of bytecode per function instead of 920): on
  // a run of a few seconds its compile jobs were a fifth of the CPU (1 GiB bench log: ≈ 0.7 s on
  // V8's threads, parseOomReport alone 68 ms), taken from the two threads that read. 2-core
  // machine, same output: 1 GiB 1.96 -> 1.85 s (CPU 3.34 -> 3.18 s); 50,000 OOM reports, 20,000
  // of seed 003's and 100,000 hung tasks neither slower nor bigger. Read at each compile, so set
  // here, before any code is hot; not for the guard (see above).
  if (args[0] !== 'guard' && !process.execArgv.some((a) => /^--max[-_]inlined/.test(a))) setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');
  // One file and a few chunks instead of ~190 modules (scripts/bundle.ts); with its source maps
  // when a stack trace is asked for.
  if (process.env.MEMTRIAGE_DEBUG) process.setSourceMapsEnabled(true);
  const { main } = await built('../dist/bundle/cli.js');

  // `memtriage analyze | head`: the reader went away; that ends the output, it is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }

  const code = await main(args, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });
  process.exitCode = code;
}
