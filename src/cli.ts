import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CliIO, Command } from './cli/command.js';
import { EXIT, UsageError } from './cli/command.js';
import { OutputError } from './cli/output.js';
import { COMMAND_ENTRIES, loadCommands } from './cli/registry.js';

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function usage(): string {
  const w = COMMAND_ENTRIES.reduce((m, c) => Math.max(m, c.name.length), 0);
  return `memtriage ${version()}: why did this Linux machine run out of memory or hang?

Usage: memtriage <command> [options]

Commands:
${COMMAND_ENTRIES.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n')}

Run "memtriage <command> --help" for a command's options and examples.
With no command, "memtriage FILE…" is "memtriage analyze FILE…".

Exit codes: 0 ran fine, 1 a finding at or above --fail-on, 2 bad usage, unreadable input or
refused output, 3 could not look (kernel log not readable by this user, empty input): never an all-clear.`;
}

/**
 * A big first input's scan workers start now, while the analyze modules load (read/scan-prestart.ts:
 * the two took turns before). Only a hint: analyze checks its arguments and inputs itself.
 */
async function prestart(args: string[]): Promise<void> {
  const [{ ANALYZE_OPTIONS }, { prestartScan }] = await Promise.all([import('./cli/analyze-help.js'), import('./read/scan-prestart.js')]);
  let first: string | undefined;
  try {
    first = parseArgs({ args, options: ANALYZE_OPTIONS, allowPositionals: true, strict: false }).positionals[0];
  } catch {
    return;
  }
  if (first !== undefined && first !== '-') prestartScan(first);
}

/** argv (without node and script) → exit code. The only place that decides exit codes. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-V') { io.stdout.write(`${version()}\n`); return 0; }
  if (first === '--help' || first === '-h' || first === 'help') { io.stdout.write(`${usage()}\n`); return 0; }
  const analyze = COMMAND_ENTRIES.find((c) => c.name === 'analyze')!;
  let entry = COMMAND_ENTRIES.find((c) => c.name === first);
  let args = rest;
  if (!entry) {
    if (first !== undefined && !first.startsWith('-') && !/^[a-z]+$/.test(first)) { entry = analyze; args = argv; }
    else if (first === undefined) { entry = analyze; args = []; }
    else { io.stderr.write(`memtriage: unknown command "${first}"\n\n${usage()}\n`); return 2; }
  }
  const help = args.includes('--help') || args.includes('-h');
  if (!help && args.includes('--version')) { io.stdout.write(`${version()}\n`); return 0; }
  const { name } = entry;
  try {
    // Only this command's modules are loaded (src/cli/registry.ts); for --help, only its help.
    if (help) { io.stdout.write(`${await entry.help()}\n`); return 0; }
    if (entry === analyze) await prestart(args);
    const cmd: Command = await entry.load();
    return await cmd.run(args, io);
  } catch (e) {
    const err = e as Error & { code?: string; path?: string };
    if (e instanceof UsageError || (err.code && err.code.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`memtriage ${name}: ${err.message}\nRun "memtriage ${name} --help" for usage.\n`);
      return EXIT.usage;
    }
    if (e instanceof OutputError) {
      io.stderr.write(`memtriage ${name}: ${err.message}\n`);
      return EXIT.usage;
    }
    // Never a stack trace for the user: the message, what to do, and the stack only on request.
    const where = err.code ? ` (${err.code}${err.path ? ` on ${err.path}` : ''})` : '';
    io.stderr.write(`memtriage ${name}: internal error${where}: ${err.message}\n` +
      (io.env.MEMTRIAGE_DEBUG ? `${err.stack}\n` : 'This is a bug in memtriage; please report it with the command and input (MEMTRIAGE_DEBUG=1 prints the stack).\n'));
    return EXIT.usage;
  }
}

export { COMMAND_ENTRIES, loadCommands };
