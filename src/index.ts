import type { Analysis, FilterSummary } from './model/analysis.js';
import { SCHEMA } from './model/analysis.js';
import type { InputInfo, Problem } from './model/common.js';
import type { Incident } from './model/incident.js';
import { analyzeLines, type InputResult } from './analyze-input.js';
import { mergeCopies } from './parse/dedup.js';
import { LineStore } from './read/line-store.js';
import { FileChunks, openSource } from './read/open.js';
import { readBundleFrom } from './read/bundle.js';
import { truncatedGzipMessage } from './read/gzip-check.js';
import { RULES } from './rules/index.js';
import { makeContext, runRules } from './rules/run.js';
import type { Rule, RuleOptions } from './rules/types.js';
import { verdictOf } from './rules/verdict.js';
import { wallClockFromBoot } from './read/boot-time.js';

export type { Analysis } from './model/analysis.js';
export type { Incident } from './model/incident.js';
export type { Finding } from './model/finding.js';
export { render, renderChunks, FORMATS } from './report/index.js';
export { InputError } from './read/open.js';

/**
 * One input: a path ("-" for stdin), or in-memory text under a name (tests, bundles).
 * `bootTimeMs`: the wall clock at boot of the machine that wrote a live kernel log; incidents
 * with only a kernel timestamp then get a wall-clock `time` (so --since/--until work on them).
 */
export type Source = ({ path: string } | { name: string; text: string }) & { bootTimeMs?: number };

/** Chooses incidents (--since/--until/--kind) and says why others were left out. */
export interface IncidentFilter {
  keep(inc: Incident): boolean;
  /** "between … and …", "of kind …": for the report's "none …" line. */
  description: string;
  /** True when the incident lacks the timestamp the filter needs (it cannot be placed). */
  lacks?(inc: Incident): boolean;
}

export interface AnalyzeOptions {
  rules?: readonly Rule[];
  stdin?: NodeJS.ReadableStream;
  /** Keeps only the incidents it keeps (--since/--until/--kind), before the rules run. */
  filter?: ((inc: Incident) => boolean) | IncidentFilter;
  /** Kept evidence lines held in memory before the rest go to a temp file (default 20,000; tests use 0). */
  spillLinesAfter?: number;
  /** Called as bytes are read (for a progress line): bytes of the current input so far, its size or null. */
  progress?: (input: string, bytes: number, total: number | null) => void;
  /** Thresholds by rule id and option name (each rule's meta.options lists them with defaults). */
  ruleOptions?: Record<string, RuleOptions>;
  /**
   * true: the same record seen twice stays two incidents (by default copies are merged into one,
   * parse/dedup.ts). For tests that build many reports by repeating one real report.
   */
  keepCopies?: boolean;
}

async function* textChunks(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text, 'utf8');
}

/**
 * Members of a `memtriage collect` bundle the parsers read (the kernel log and the /proc files
 * they know); per-process and cgroup files are for `where`, not for analyze.
 */
const BUNDLE_MEMBERS = /^(?:kmsg\.log|dmesg\.log|journal\.log|proc\/(?:meminfo|slabinfo|buddyinfo|zoneinfo|vmstat|pagetypeinfo|pressure\/\w+)|residency\.txt|guard\/(?:decision\.json|samples\.jsonl))$/;

/**
 * The whole pipeline: read each input, parse kernel reports and sections, run the rules.
 * Throws InputError (naming the file) when an input cannot be opened; never on its content.
 * Arrays the size of the input are appended element by element, never spread into a call
 * (a spread of ~130,000 arguments overflows the stack).
 */
export async function analyze(sources: readonly Source[], opts: AnalyzeOptions = {}): Promise<Analysis> {
  const store = new LineStore(opts.spillLinesAfter);
  const inputs: InputInfo[] = [];
  let incidents: Incident[] = [];
  const problems: Problem[] = [];
  const take = (r: InputResult, boot?: number): void => {
    inputs.push(r.info);
    for (const inc of r.incidents) {
      if (boot !== undefined && inc.time == null && inc.uptimeSec != null) inc.time = wallClockFromBoot(boot, inc.uptimeSec);
      incidents.push(inc);
    }
    for (const p of r.problems) problems.push(p);
  };
  for (const src of sources) {
    if (!('path' in src)) {
      take(await analyzeLines(src.name, inputs.length, textChunks(src.text), store, { keepCopies: opts.keepCopies }), src.bootTimeMs);
      continue;
    }
    const opened = await openSource(src.path, opts.stdin);
    const path = src.path === '-' ? '(stdin)' : src.path;
    if (opened.packing === 'gzip' && opened.fh) {
      const bundle = await readBundleFrom(opened.fh, src.path).catch(() => null);
      if (bundle) {
        await opened.fh.close().catch(() => undefined);
        const first = inputs.length;
        for (const m of bundle.members) {
          if (BUNDLE_MEMBERS.test(m.name)) take(await analyzeLines(`${src.path}:${m.name}`, inputs.length, textChunks(m.text), store, { keepCopies: opts.keepCopies }));
        }
        if (inputs.length === first && bundle.problems.length) inputs.push({ path, type: 'bundle', format: 'tar.gz', lines: 0, packing: 'gzip' });
        for (const message of bundle.problems) problems.push({ input: first, line: 0, severity: 'warning', message });
        continue;
      }
    }
    const index = inputs.length;
    // A plain regular file (FileChunks) keeps its identity: the worker-thread scan needs it.
    const chunks = opts.progress && !(opened.chunks instanceof FileChunks) ? counted(opened.chunks, path, opts.progress) : opened.chunks;
    const r = await analyzeLines(path, index, chunks, store, { keepCopies: opts.keepCopies, ...(opts.progress && opened.chunks instanceof FileChunks ? { progress: opts.progress } : {}) });
    r.info.packing = opened.packing;
    const end = opened.decodeEnd();
    const cut = end == null ? null
      : opened.packing === 'gzip' && opened.gzipTrailer != null ? truncatedGzipMessage(path, end.bytes, opened.gzipTrailer, end.error)
      : end.error ? `${path}: the ${opened.packing} data breaks off after ${end.bytes} bytes (${end.error.message}): the file is truncated or damaged; what was read before is reported` : null;
    if (cut) r.problems.push({ input: index, line: r.info.lines, severity: 'warning', message: cut });
    take(r, src.bootTimeMs);
  }
  // The same record seen twice (console and syslog copies, two inputs) is one incident.
  if (!opts.keepCopies) incidents = mergeCopies(incidents);
  let filter: FilterSummary | undefined;
  if (opts.filter) {
    const f = typeof opts.filter === 'function' ? { keep: opts.filter, description: 'chosen by the filter' } : opts.filter;
    const kept: Incident[] = [];
    let unplaced = 0;
    for (const inc of incidents) {
      if (f.keep(inc)) kept.push(inc);
      else if (f.lacks?.(inc)) unplaced++;
    }
    filter = { description: f.description, incidentsBefore: incidents.length, incidentsKept: kept.length, incidentsUnplaced: unplaced };
    incidents = kept;
  }
  const ctx = makeContext(incidents, inputs, store);
  const rules = opts.rules ?? RULES;
  let findings;
  try {
    findings = runRules(rules, ctx, opts.ruleOptions);
  } finally {
    store.close(); // the findings hold the texts they quote
  }
  const a: Analysis = { schema: SCHEMA, inputs, incidents, findings, problems, verdict: verdictOf(findings, incidents, rules) };
  if (filter) a.filter = filter;
  return a;
}

/** Passes chunks through, reporting bytes read so far (the CLI's progress line). */
async function* counted(chunks: AsyncIterable<Buffer>, path: string, progress: NonNullable<AnalyzeOptions['progress']>): AsyncGenerator<Buffer> {
  let n = 0;
  const size = (chunks as { size?: number }).size;
  for await (const c of chunks) {
    n += c.length;
    progress(path, n, size != null && size > 0 ? size : null);
    yield c;
  }
}
