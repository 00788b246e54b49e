import { fstatSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { analyze, type Source } from '../index.js';
import { SEVERITY_ORDER, type Severity } from '../model/finding.js';
import { InputError } from '../read/open.js';
import { readThisMachineLog } from '../read/this-machine.js';
import { FORMATS, type Format, render } from '../report/index.js';
import type { CliIO, Command } from './command.js';
import { UsageError } from './command.js';
import { makeFilter } from './filters.js';

const HELP = `Usage: memtriage analyze [FILE…] [options]

Reads kernel logs, /proc snapshots, tool screens and crash-utility output, finds every OOM kill,
allocation failure, hung task, lockup and kernel error, and explains why memory ran out.

  FILE            a log or snapshot: dmesg, dmesg -T, kern.log/syslog, journalctl -k (also -o json),
                  /dev/kmsg, a console capture, a .gz of any of these, an article or chat paste that
                  mixes them, /proc/meminfo, slabinfo, top/pidstat/iostat screens, crash output.
                  Several files are analyzed together (a log plus meminfo plus two top screens).
                  "-" reads standard input. With no FILE and nothing piped in, reads this machine's
                  own kernel log (/dev/kmsg, else dmesg, else journalctl -k -b).

Options:
  -f, --format F  text (default), json (the public contract, see docs), md (for a ticket)
  -o, --output P  write the report to P instead of standard output
      --since T   only incidents at or after T: "2022-06-12 03:00" or seconds since boot ("63000")
      --until T   only incidents at or before T (same forms)
      --kind K,…  only these incident kinds (oom_kill,page_alloc_failure,hung_task,soft_lockup,…)
      --fail-on S exit 1 when a finding is at least S: critical, warning or info (default: never)
      --no-color  plain text even on a terminal (also NO_COLOR=1)
  -h, --help      this text

Examples:
  memtriage analyze                       # this machine, now
  memtriage analyze /var/log/kern.log.1.gz
  journalctl -k -b -1 | memtriage analyze -
  memtriage analyze dmesg.txt meminfo.txt slabinfo.txt --format json -o report.json

Exit codes: 0 ran fine, 1 a finding at or above --fail-on, 2 bad usage or unreadable input.`;

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'explain OOM kills, allocation failures and hangs from logs and snapshots',
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        format: { type: 'string', short: 'f', default: 'text' }, output: { type: 'string', short: 'o' },
        since: { type: 'string' }, until: { type: 'string' }, kind: { type: 'string' },
        'fail-on': { type: 'string' }, 'no-color': { type: 'boolean', default: false },
      },
    });
    const format = values.format === 'markdown' ? 'md' : values.format;
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${values.format}: use one of ${FORMATS.join(', ')}`);
    const failOn = values['fail-on'] as Severity | undefined;
    if (failOn && !SEVERITY_ORDER.includes(failOn)) throw new UsageError(`--fail-on ${failOn}: use critical, warning or info`);
    const filter = makeFilter(values);
    let sources: Source[] = positionals.map((p) => ({ path: p }));
    if (sources.length === 0) {
      if (stdinHasData(io)) sources = [{ path: '-' }];
      else {
        try {
          const log = await readThisMachineLog();
          sources = [{ name: `this machine (${log.source})`, text: log.text }];
        } catch (e) {
          io.stderr.write(`memtriage: ${(e as Error).message}\n`);
          return 2;
        }
      }
    }
    let analysis;
    try {
      analysis = await analyze(sources, { stdin: io.stdin, filter });
    } catch (e) {
      if (e instanceof InputError) { io.stderr.write(`memtriage: ${e.message}\n`); return 2; }
      throw e;
    }
    const color = format === 'text' && !values.output && !values['no-color'] && !io.env.NO_COLOR && io.stdout.isTTY === true;
    const text = render(analysis, format as Format, { color });
    if (values.output) await writeFile(values.output, text);
    else io.stdout.write(text);
    if (failOn) {
      const limit = SEVERITY_ORDER.indexOf(failOn);
      if (analysis.findings.some((f) => SEVERITY_ORDER.indexOf(f.severity) <= limit)) return 1;
    }
    return 0;
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
