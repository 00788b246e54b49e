import type { Analysis } from './model/analysis.js';
import { SCHEMA } from './model/analysis.js';
import type { InputInfo, Problem } from './model/common.js';
import type { Incident } from './model/incident.js';
import { analyzeLines } from './analyze-input.js';
import { LineStore } from './read/line-store.js';
import { openInput } from './read/open.js';
import { readBundle } from './read/bundle.js';
import { countBytes, gzipTrailerSize, truncatedGzipMessage } from './read/gzip-check.js';
import { RULES } from './rules/index.js';
import { makeContext, runRules } from './rules/run.js';
import type { Rule } from './rules/types.js';
import { verdictOf } from './rules/verdict.js';

export type { Analysis } from './model/analysis.js';
export type { Incident } from './model/incident.js';
export type { Finding } from './model/finding.js';
export { render, FORMATS } from './report/index.js';
export { InputError } from './read/open.js';

/** One input: a path ("-" for stdin), or in-memory text under a name (tests, bundles). */
export type Source = { path: string } | { name: string; text: string };

export interface AnalyzeOptions {
  rules?: readonly Rule[];
  stdin?: NodeJS.ReadableStream;
  /** Keeps only the incidents it returns true for (--since/--until/--kind), before the rules run. */
  filter?: (inc: Incident) => boolean;
}

async function* textChunks(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text, 'utf8');
}

/**
 * The whole pipeline: read each input, parse kernel reports and sections, run the rules.
 * Throws InputError (naming the file) when an input cannot be opened; never on its content.
 */
export async function analyze(sources: readonly Source[], opts: AnalyzeOptions = {}): Promise<Analysis> {
  const store = new LineStore();
  const inputs: InputInfo[] = [];
  const incidents: Incident[] = [];
  const problems: Problem[] = [];
  for (const src of await expandBundles(sources)) {
    const index = inputs.length;
    const path = 'path' in src ? src.path : src.name;
    let chunks = 'path' in src ? ((await openInput(src.path, opts.stdin)) as AsyncIterable<Buffer>) : textChunks(src.text);
    const trailer = 'path' in src && src.path !== '-' ? await gzipTrailerSize(src.path) : null;
    let gunzipped = -1;
    let gzError: Error | null = null;
    if (trailer != null) chunks = countBytes(chunks, (n, e) => { gunzipped = n; gzError = e; });
    const r = await analyzeLines(path === '-' ? '(stdin)' : path, index, chunks, store);
    const cut = trailer != null && gunzipped >= 0 ? truncatedGzipMessage(path, gunzipped, trailer, gzError) : null;
    if (cut) r.problems.push({ input: index, line: r.info.lines, severity: 'warning', message: cut });
    inputs.push(r.info);
    incidents.push(...r.incidents);
    problems.push(...r.problems);
  }
  const kept = opts.filter ? incidents.filter(opts.filter) : incidents;
  incidents.splice(0, incidents.length, ...kept);
  const ctx = makeContext(incidents, inputs, store);
  const findings = runRules(opts.rules ?? RULES, ctx);
  return { schema: SCHEMA, inputs, incidents, findings, problems, verdict: verdictOf(findings, incidents) };
}

/**
 * Members of a `memtriage collect` bundle the parsers read (the kernel log and the /proc files
 * they know); per-process and cgroup files are for `where`, not for analyze.
 */
const BUNDLE_MEMBERS = /^(?:kmsg\.log|dmesg\.log|journal\.log|proc\/(?:meminfo|slabinfo|buddyinfo|zoneinfo|vmstat|pagetypeinfo|pressure\/\w+)|residency\.txt|guard\/(?:decision\.json|samples\.jsonl))$/;

async function expandBundles(sources: readonly Source[]): Promise<Source[]> {
  const out: Source[] = [];
  for (const src of sources) {
    const path = 'path' in src && src.path !== '-' ? src.path : null;
    const members = path ? await readBundle(path).catch(() => null) : null;
    if (!members) { out.push(src); continue; }
    for (const m of members) if (BUNDLE_MEMBERS.test(m.name)) out.push({ name: `${path}:${m.name}`, text: m.text });
  }
  return out;
}
