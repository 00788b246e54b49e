import { statSync } from 'node:fs';

/**
 * V8 heap settings for a big analyze, which bin/memtriage.js starts node again with.
 *
 * V8 sizes the young generation (where every line, regex match and report piece is born) when
 * node starts: up to two 16 MiB semi-spaces, both touched, and it cannot be changed afterwards
 * (v8.setFlagsFromString has no effect on it). On a big log they fill up and stay resident; with
 * 4 MiB semi-spaces the 1 GiB bench log peaks at ≈ 135 MiB instead of ≈ 175 MiB for the same CPU
 * time (measured in one run, README "Performance"). The old generation is kept within 20 % of
 * what was live at the last full collection instead of V8's 2–3×. The collector runs on the
 * thread that allocates (--single-threaded-gc): its helper threads took ≈ 1.8 s of CPU on the 1 GiB
 * log for work one thread does in less, on two cores that the scan workers already fill (quiet
 * machine, 17:07 UTC: 1 GiB 4.45–4.48 → 4.27–4.32 s; 50,000 distinct OOM reports 29.6 → 25.2 s of
 * CPU and 294 → 269 MiB). Small inputs never fill the young generation, so they are not worth a
 * second node start (≈ 40 ms).
 */
export const HEAP_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=20', '--single-threaded-gc'] as const;

/**
 * The second node's environment: this one's without NODE_EXTRA_CA_CERTS. Node reads and parses
 * that certificate file at every start, before any code runs (≈ 40 ms for a system CA bundle on
 * the bench machine, where it is set), for TLS connections an analyze never makes.
 */
export function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _unused, ...rest } = env;
  return rest;
}

/** Inputs (regular files, together) from this size on get HEAP_FLAGS. */
export const BIG_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * True when `memtriage ARGS` analyzes at least BIG_INPUT_BYTES of regular files and node was not
 * started with a young-generation size of the user's own or a debugger. Arguments that are not files (options,
 * stdin "-", missing paths) count nothing; so does the value of -o/--output.
 */
export function wantsHeapFlags(args: readonly string[], execArgv: readonly string[], size: (path: string) => number | null = fileSize): boolean {
  // A young generation of the user's own, or a debugger attached to this node (the second one
  // would not have it): analyze here.
  if (execArgv.some((a) => /^--max[-_]semi[-_]space[-_]size|^--inspect/.test(a))) return false;
  const first = args[0];
  // The command rule of cli.ts: "analyze", or a path in its place (an implicit analyze).
  const rest = first === 'analyze' ? args.slice(1) : first !== undefined && !first.startsWith('-') && !/^[a-z]+$/.test(first) ? args : null;
  if (!rest) return false;
  let bytes = 0;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '-o' || a === '--output') { i++; continue; }
    if (a.startsWith('-')) continue;
    bytes += size(a) ?? 0;
    if (bytes >= BIG_INPUT_BYTES) return true;
  }
  return false;
}

function fileSize(path: string): number | null {
  try {
    const st = statSync(path);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}
