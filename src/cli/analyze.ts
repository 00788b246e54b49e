import { fstatSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyze, type Source } from '../index.js';
import type { Analysis } from '../model/analysis.js';
import { SEVERITY_ORDER, type Severity } from '../model/finding.js';
import { InputError } from '../read/open.js';
import { RULES } from '../rules/index.js';
import type { RuleOptions } from '../rules/types.js';
import { FORMATS, type Format, renderChunks } from '../report/index.js';
import type { CliIO, Command } from './command.js';
import { EXIT, UsageError } from './command.js';
import { makeFilter } from './filters.js';
import { openOutput, OutputError } from './output.js';
import { byteProgress } from './progress.js';
import { ANALYZE_HELP as HELP, ANALYZE_OPTIONS as OPTIONS } from './analyze-help.js';
import { SUMMARIES } from './registry.js';

/** --set rule.option=value, checked against the rules' own meta.options (the policy lives in the rule). */
function ruleOptionsOf(sets: string[] | undefined): Record<string, RuleOptions> {
  const out: Record<string, RuleOptions> = {};
  for (const s of sets ?? []) {
    const m = /^([a-z0-9-]+)\.([A-Za-z0-9]+)=(-?\d+(?:\.\d+)?)$/.exec(s);
    if (!m) throw new UsageError(`--set ${s}: write RULE.OPTION=NUMBER, e.g. --set unaccounted-memory.reportShare=0.2`);
    const rule = RULES.find((r) => r.meta.id === m[1]);
    if (!rule) throw new UsageError(`--set ${s}: no rule "${m[1]}" (rules with options: ${RULES.filter((r) => r.meta.options).map((r) => r.meta.id).join(', ')})`);
    const opts = rule.meta.options ?? {};
    if (!(m[2] in opts)) throw new UsageError(`--set ${s}: rule ${m[1]} has no option "${m[2]}" (it has: ${Object.keys(opts).join(', ') || 'none'})`);
    (out[m[1]] ??= {})[m[2]] = Number(m[3]);
  }
  return out;
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: SUMMARIES.analyze,
  help: HELP,
  options: OPTIONS,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
    const format = values.format === 'markdown' ? 'md' : values.format;
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${values.format}: use one of ${FORMATS.join(', ')}`);
    const failOn = values['fail-on'] as Severity | undefined;
    if (failOn && !SEVERITY_ORDER.includes(failOn)) throw new UsageError(`--fail-on ${failOn}: use critical, warning or info`);
    const filter = makeFilter(values);
    const ruleOptions = ruleOptionsOf(values.set);
    // The destination is checked before the work: a refused -o should not cost an hour of analysis.
    let target;
    try {
      target = await openOutput(values.output, io);
    } catch (e) {
      if (!(e instanceof OutputError)) throw e;
      io.stderr.write(`memtriage analyze: ${e.message}\n`);
      return EXIT.usage;
    }
    let sources: Source[] = positionals.map((p) => ({ path: p }));
    let live = false;
    if (sources.length === 0) {
      if (stdinHasData(io)) sources = [{ path: '-' }];
      else {
        // Loaded only here: it brings the live /dev/kmsg reader, which an analyze of files never needs.
        const { CouldNotLookError, readThisMachineLog } = await import('../read/this-machine.js');
        try {
          const log = await readThisMachineLog();
          sources = [{ name: log.source, text: log.text, bootTimeMs: log.bootTimeMs ?? undefined }];
          live = true;
        } catch (e) {
          await target.abort();
          if (e instanceof CouldNotLookError) { io.stderr.write(`memtriage analyze: ${e.message}\n`); return EXIT.couldNotLook; }
          throw e;
        }
      }
    }
    const progress = byteProgress(io.stderr);
    let analysis: Analysis;
    try {
      analysis = await analyze(sources, { stdin: io.stdin, filter, progress: progress.update, ruleOptions });
    } catch (e) {
      await target.abort();
      if (e instanceof InputError) { io.stderr.write(`memtriage analyze: ${e.message}\n`); return EXIT.usage; }
      throw e;
    } finally {
      progress.done();
    }
    const empty = analysis.inputs.filter((i) => i.type === 'empty');
    for (const [k, i] of analysis.inputs.entries()) {
      if (i.type !== 'empty') continue;
      const broken = analysis.problems.find((p) => p.input === k);
      io.stderr.write(broken ? `memtriage analyze: ${broken.message}\n` : i.path === '(stdin)'
        ? 'memtriage analyze: standard input was empty: nothing was analyzed (did the command before the pipe fail, or print to stderr?)\n'
        : `memtriage analyze: ${i.path}: ${live ? 'the kernel log read was empty' : 'the file is empty'}: nothing was analyzed in it\n`);
    }
    const allEmpty = analysis.inputs.length > 0 && empty.length === analysis.inputs.length;
    // Nothing was read: a text report saying "nothing found" would be a false all-clear.
    if (allEmpty && format !== 'json' && analysis.problems.length === 0) { await target.abort(); return EXIT.couldNotLook; }
    const color = format === 'text' && !target.toFile && !values['no-color'] && !io.env.NO_COLOR && io.stdout.isTTY === true;
    try {
      for (const chunk of renderChunks(analysis, format as Format, { color })) await target.write(chunk);
      await target.commit();
    } catch (e) {
      await target.abort();
      throw e;
    }
    if (allEmpty) return EXIT.couldNotLook;
    const f = analysis.filter;
    if (f && f.incidentsKept === 0 && f.incidentsUnplaced > 0) {
      io.stderr.write(`memtriage analyze: ${f.incidentsUnplaced} of ${f.incidentsBefore} incidents have no timestamp the filter could compare; none was kept. Run without --since/--until to see them.\n`);
      return EXIT.couldNotLook;
    }
    if (failOn) {
      const limit = SEVERITY_ORDER.indexOf(failOn);
      if (analysis.findings.some((x) => SEVERITY_ORDER.indexOf(x.severity) <= limit)) return EXIT.findings;
    }
    return EXIT.ok;
  },
};

/** Piped or redirected from a file: read it. A terminal or /dev/null (a character device): not. */
function stdinHasData(io: CliIO): boolean {
  if (io.stdin !== process.stdin) return true;
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isFile() || st.isSocket();
  } catch {
    return false;
  }
}

export { OutputError };
