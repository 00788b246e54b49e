/**
 * Bundles the compiled CLI (dist/src, from tsc) into dist/bundle with esbuild, for
 * bin/memtriage.js. Node's ESM loader costs ≈ 0.5 ms of CPU per module to resolve, read and link,
 * and an analyze loads ~190 of them: ≈ 70 ms of every run, small or big (measured on the 2-core
 * bench machine: an analyze of a small fixture 213 → 144 ms; the 1 GiB bench log ≈ 50 ms less).
 *
 * - Code splitting keeps each command's modules in chunks of their own, loaded by the same dynamic
 *   imports as before (src/cli/registry.ts): a command still loads only what it needs.
 *   dist/bundle/meta.json (esbuild's metafile) says which source modules each chunk holds;
 *   test/cli/lazy-commands.test.ts reads it.
 * - The files the code finds next to itself through import.meta.url are entries or copies in the
 *   same folder: the scan worker (read/scan-workers.ts), the live reader's helper
 *   (live/real-reader.ts) and the wasm classifier (read/line-class-wasm.ts). package.json is two
 *   folders up from dist/bundle as it is from dist/src.
 * - npm packages stay imports (koffi is native and loaded only by the commands that need it).
 * - Source maps chain to tsc's, so MEMTRIAGE_DEBUG=1 stack traces name the .ts files.
 *
 * The library (`import { analyze } from 'memtriage'`) and the tests use dist/src as tsc wrote it.
 */
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(ROOT, 'dist', 'src');
const OUT = join(ROOT, 'dist', 'bundle');

rmSync(OUT, { recursive: true, force: true }); // chunk names change with their content
const result = await build({
  entryPoints: {
    cli: join(SRC, 'cli.js'),
    'scan-worker': join(SRC, 'read', 'scan-worker.js'),
    'read-helper': join(SRC, 'live', 'read-helper.js'),
  },
  absWorkingDir: ROOT, // the metafile names files from here: "dist/src/cli.js"
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});
writeFileSync(join(OUT, 'meta.json'), JSON.stringify(result.metafile));
copyFileSync(join(SRC, 'read', 'line-class.wasm'), join(OUT, 'line-class.wasm'));
